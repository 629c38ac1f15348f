// Flood detection per user, in memory: a burst (too many updates within a window, those over the
// rate limits included) or the same text sent again and again. Alone, each instance judges the
// updates it receives, as they arrive; shared-flood.ts counts the same way in Redis for all of them.
export type FloodKind = 'burst' | 'repeat';

/** What admission asks, whichever the backend: in memory the verdict comes back at once. */
export interface FloodCounter {
  /** Notes one update from the user; `text` is a message's non-command text, if any. */
  check(
    userId: number,
    text: string | undefined,
    limits: FloodLimits,
  ): FloodKind | undefined | Promise<FloodKind | undefined>;
  /** Starts the user afresh (after a ban, so that its end is not met by the old count). */
  forget(userId: number): void;
}

export interface FloodLimits {
  messages: number;
  windowMs: number;
  repeats: number;
}

interface Track {
  /** Arrival times within the window, oldest first. */
  times: number[];
  lastText: string | undefined;
  lastTextAt: number;
  repeats: number;
}

/** A repeat counts only if it comes this soon after the previous copy. */
export const REPEAT_GAP_MS = 30_000;

export class FloodDetector implements FloodCounter {
  private tracks = new Map<number, Track>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Notes one update from the user; `text` is a message's non-command text, if any. */
  check(userId: number, text: string | undefined, limits: FloodLimits): FloodKind | undefined {
    const now = this.clock();
    let track = this.tracks.get(userId);
    if (!track) {
      track = { times: [], lastText: undefined, lastTextAt: 0, repeats: 0 };
      this.tracks.set(userId, track);
    }
    const times = track.times;
    times.push(now);
    let expired = 0;
    while (expired < times.length && (times[expired] as number) <= now - limits.windowMs) expired++;
    if (expired > 0) times.splice(0, expired);
    // Only the most recent `messages` times matter; older ones cannot change the verdict.
    if (times.length > limits.messages) times.splice(0, times.length - limits.messages);
    if (times.length >= limits.messages) return 'burst';

    if (text !== undefined) {
      const repeated = text === track.lastText && now - track.lastTextAt <= REPEAT_GAP_MS;
      track.repeats = repeated ? track.repeats + 1 : 1;
      track.lastText = text;
      track.lastTextAt = now;
      if (track.repeats >= limits.repeats) return 'repeat';
    }
    return undefined;
  }

  /** Starts the user afresh (after a ban, so that its end is not met by the old count). */
  forget(userId: number): void {
    this.tracks.delete(userId);
  }

  /** Drops users idle for longer than any window, so memory follows the active users only. */
  sweep(idleMs: number): void {
    const cutoff = this.clock() - Math.max(idleMs, REPEAT_GAP_MS);
    for (const [userId, track] of this.tracks) {
      const last = Math.max(track.times[track.times.length - 1] ?? 0, track.lastTextAt);
      if (last <= cutoff) this.tracks.delete(userId);
    }
  }

  get size(): number {
    return this.tracks.size;
  }
}
