// Updates on a schedule, off unless the `update.schedule` setting holds a cron pattern: at each run
// the server checks its update source and, when there is something new, starts the same detached
// updater the panel's "Update now" does (a backup first, a rollback by itself on failure). An update
// already under way, or a source that cannot be read, is logged and the next run tries again.
import type { Logger } from '../../config/logger.js';
import { type SettingsStore, settingChanges } from '../../db/settings-store.js';
import { OmniError } from '../../errors.js';
import { type CronSetting, followCronSetting } from '../../lib/cron-setting.js';
import { type IsLeader, whenLeading } from '../../lib/leading.js';
import type { UpdateDesk } from './update-desk.js';

export function startAutoUpdate(parts: {
  settings: SettingsStore;
  updates: UpdateDesk;
  log: Logger;
  /** Checks run only while this says so; absent, always. */
  isLeader?: IsLeader;
}): CronSetting {
  const { settings, updates, log } = parts;
  return followCronSetting({
    pattern: () => settings.get('update.schedule'),
    subscribe: (changed) => settingChanges(settings, 'update.schedule', changed),
    task: whenLeading(parts.isLeader, async () => {
      try {
        const check = await updates.check();
        if (check.upToDate) {
          log.info({ version: check.current.version }, 'scheduled update check: up to date');
          return;
        }
        const { pid } = await updates.start({ actor: 'schedule' });
        log.warn({ from: check.current.version, to: check.available.version, pid }, 'scheduled update started');
      } catch (error) {
        const busy = error instanceof OmniError && error.code === 'UPDATE_IN_PROGRESS';
        log.warn({ err: error }, busy ? 'scheduled update skipped: one is under way' : 'scheduled update failed');
      }
    }),
    invalid: (pattern, error) =>
      log.warn({ err: error, pattern }, 'update.schedule is not a cron pattern; no scheduled updates'),
  });
}
