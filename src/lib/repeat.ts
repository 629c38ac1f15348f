// Every periodic job of the platform runs through here: the next run starts a set time after the
// previous one ended, so runs never overlap; a run that throws or rejects is reported and the next
// one still comes; the timers never keep the process alive; and stopping waits for a run under way.
// The interval is read anew before every wait, so a changed setting applies from the next run on.

export interface RepeatOptions {
  /** Time between the end of one run and the start of the next, in ms; a function is asked each time. */
  every: number | (() => number);
  /** Time before the first run, in ms (0: at the next turn of the event loop). */
  firstAfterMs?: number;
  /** Told of every failed run; the loop goes on. */
  onError: (error: unknown) => void;
  /** Keeps the event loop alive while the loop runs: for a thread that exists for this loop alone. */
  keepAlive?: boolean;
}

export interface Repetition {
  /** No further runs; resolves once the one under way (if any) has ended. */
  stop(): Promise<void>;
}

export function repeat(task: () => unknown, options: RepeatOptions): Repetition {
  const { every, onError } = options;
  const interval = typeof every === 'function' ? every : () => every;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const schedule = (ms: number): void => {
    timer = setTimeout(run, ms);
    if (!options.keepAlive) timer.unref();
  };
  const run = (): void => {
    running = (async () => {
      try {
        await task();
      } catch (error) {
        onError(error);
      }
    })();
    void running.then(() => {
      if (!stopped) schedule(interval());
    });
  };
  schedule(options.firstAfterMs ?? 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
