// Runs a task now and again after each run ends, waiting an interval read anew every time (so a
// changed setting applies at the next run); a failed run is reported and the next one still comes.
export interface Repetition {
  /** No further runs; resolves once the one under way (if any) has ended. */
  stop(): Promise<void>;
}

export function repeat(
  task: () => Promise<unknown>,
  intervalMs: () => number,
  onError: (error: unknown) => void,
): Repetition {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = (): void => {
    running = task()
      .catch(onError)
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, intervalMs());
        timer.unref();
      });
  };
  timer = setTimeout(tick, 0);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
