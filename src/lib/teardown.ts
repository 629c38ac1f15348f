// Stopping in the reverse order of starting, from one list: each part registers how it stops right
// after it starts, so the order can never drift from the start order. A step that fails is logged
// and the others still run: one stuck part must not keep the database open.

export interface Teardown {
  /** Registers how to stop the part that has just started. */
  add(name: string, stop: () => unknown): void;
  /** Runs every registered step, newest first, once; later calls wait for the same run. */
  run(): Promise<void>;
}

export function createTeardown(onError: (step: string, error: unknown) => void): Teardown {
  const steps: { name: string; stop: () => unknown }[] = [];
  let running: Promise<void> | undefined;
  return {
    add(name, stop) {
      steps.push({ name, stop });
    },
    run() {
      running ??= (async () => {
        for (const step of steps.toReversed()) {
          try {
            await step.stop();
          } catch (error) {
            onError(step.name, error);
          }
        }
      })();
      return running;
    },
  };
}
