// Durations as people type and read them: "90s", "10m", "1h", "7d", "2w"; shown in the largest
// whole unit ("10 min", "1 h 30 min"), which is what a ban notice or a /ban reply needs.
const UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PATTERN = /^(\d{1,6})([smhdw])$/i;

/** Milliseconds, or undefined if `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS_MS[(match[2] as string).toLowerCase() as keyof typeof UNITS_MS];
  return ms > 0 ? ms : undefined;
}

export function describeDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms / 1000));
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / seconds);
    rest -= count * seconds;
    if (count > 0) parts.push(`${count} ${unit}`);
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0 s';
}
