// Spaces calls evenly at a rate within one process: each call waits for the next free slot; a 429's
// retry_after pushes every later slot back.
export class Pacer {
  private next = 0;

  constructor(private readonly ratePerSecond: () => number) {}

  /** Resolves at this call's slot; rejects when `signal` aborts first. */
  async wait(signal: AbortSignal): Promise<void> {
    const now = Date.now();
    const slot = Math.max(now, this.next);
    this.next = slot + 1000 / this.ratePerSecond();
    if (slot > now) await sleep(slot - now, signal);
  }

  holdFor(ms: number): void {
    this.next = Math.max(this.next, Date.now() + ms);
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
