// Spaces calls evenly at a rate within one process. The waiting calls are let go one at a time by a
// single timer, so that a stalled event loop (a busy machine) does not wake to let go all those whose
// time passed meanwhile, which would reach Telegram as a burst; the time lost is made up at up to
// twice the rate, never more than `rate` calls in any sliding second (how Telegram counts). A 429's
// retry_after holds every later call back.
const CATCH_UP_MS = 250;

export class Pacer {
  private readonly waiting: { go: () => void; signal: AbortSignal; stop: () => void }[] = [];
  private last = 0;
  /** When the next call is due on the even schedule; behind `now` while time lost is made up. */
  private due = 0;
  /** When the calls of the last second went. */
  private readonly recent: number[] = [];
  private heldUntil = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ratePerSecond: () => number) {}

  /** Resolves at this call's turn; rejects when `signal` aborts first. */
  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const entry = {
        signal,
        go: () => {
          signal.removeEventListener('abort', entry.stop);
          resolve();
        },
        stop: () => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', entry.stop, { once: true });
      this.waiting.push(entry);
      this.pump();
    });
  }

  holdFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, Date.now() + ms);
  }

  private pump(): void {
    if (this.timer || this.waiting.length === 0) return;
    const now = Date.now();
    const rate = this.ratePerSecond();
    const interval = 1000 / rate;
    while (this.recent.length > 0 && (this.recent[0] as number) <= now - 1000) this.recent.shift();
    // At most a quarter of a second lost is made up: after a pause, the calls start again at the rate;
    // a new process makes up nothing, as it cannot know what went out just before it started.
    this.due = Math.max(this.due, this.last === 0 ? now : now - CATCH_UP_MS);
    let at = Math.max(this.due, this.last + interval / 2, this.heldUntil);
    const full = this.recent.length - Math.floor(rate);
    if (full >= 0) at = Math.max(at, (this.recent[full] as number) + 1000);
    if (at > now) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, at - now);
      return;
    }
    this.last = now;
    this.due += interval;
    this.recent.push(now);
    this.waiting.shift()?.go();
    this.pump();
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', stop, { once: true });
  });
}
