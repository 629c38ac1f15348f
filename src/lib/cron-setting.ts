// A job that runs on the cron pattern a setting holds (empty: never) and follows the setting as it
// changes: a new pattern applies at once, a pattern croner cannot read is reported and runs nothing,
// and a run still under way when the next is due is not doubled (croner's `protect`).
import { Cron } from 'croner';

export interface CronSettingOptions {
  /** The setting's current value. */
  pattern: () => string;
  /** Calls `changed` whenever the setting may have changed; returns how to stop listening. */
  subscribe: (changed: () => void) => () => void;
  task: () => Promise<void>;
  /** Told of a pattern that is not a cron pattern. */
  invalid: (pattern: string, error: unknown) => void;
  /** Told each time the pattern was (re)read, set or not. */
  followed?: () => void;
}

export interface CronSetting {
  /** The next `count` runs of the current pattern (none while it is empty). */
  nextRuns(count: number): Date[];
  /** No further runs; resolves once a run under way has ended. */
  stop(): Promise<void>;
}

export function followCronSetting(options: CronSettingOptions): CronSetting {
  let job: Cron | undefined;
  let running: Promise<void> = Promise.resolve();
  const follow = (): void => {
    job?.stop();
    job = undefined;
    const pattern = options.pattern().trim();
    options.followed?.();
    if (!pattern) return;
    try {
      job = new Cron(pattern, { protect: true }, () => {
        running = options.task();
        return running;
      });
    } catch (error) {
      options.invalid(pattern, error);
    }
  };
  const unsubscribe = options.subscribe(follow);
  follow();
  return {
    nextRuns: (count) => job?.nextRuns(count) ?? [],
    async stop() {
      unsubscribe();
      job?.stop();
      await running;
    },
  };
}
