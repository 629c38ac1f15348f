// The automatic ban ladder: each offence earns the next, longer ban, until a quiet period without a
// ban lets the user start again from the first step.
export interface LadderStep {
  level: number;
  durationMs: number;
}

export interface PreviousBan {
  level: number;
  /** Null: permanent (never escalated further). */
  until: number | null;
}

export function nextBan(
  previous: PreviousBan | undefined,
  now: number,
  ladderSeconds: readonly number[],
  quietMs: number,
): LadderStep {
  const forgiven = !previous || previous.until === null || previous.until + quietMs <= now;
  const level = forgiven ? 1 : Math.min(previous.level + 1, ladderSeconds.length);
  return { level, durationMs: (ladderSeconds[level - 1] ?? ladderSeconds[0] ?? 60) * 1000 };
}
