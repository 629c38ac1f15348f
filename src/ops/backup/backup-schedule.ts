// The server's scheduled backups: on the cron pattern of the `backup.schedule` setting (empty: off),
// a backup of the running platform, then pruning by the `backup.keep*` settings, each result logged.
// A changed pattern applies at once; a run still under way when the next is due is not doubled.
// After every run, an alert when the newest backup is older than twice the schedule's interval
// (runs failing, or failing to prune space free): checked at runs, so a stopped server says nothing.
import type { Logger } from '../../config/logger.js';
import type { DatabaseHandle } from '../../db/database.js';
import { type SettingsStore, settingChanges } from '../../db/settings-store.js';
import { followCronSetting } from '../../lib/cron-setting.js';
import { describeDuration } from '../../lib/durations.js';
import { type IsLeader, whenLeading } from '../../lib/leading.js';
import type { AlertCandidate } from '../alerts/alert-manager.js';
import type { BackupOptions } from './backup-options.js';
import { createBackup } from './create-backup.js';
import { listBackups } from './list-backups.js';
import { pruneBackups } from './prune-backups.js';

export interface BackupScheduleParts {
  config: BackupOptions['config'];
  passphrase: string | undefined;
  database: DatabaseHandle;
  settings: SettingsStore;
  log: Logger;
  /** Raises an alert (the AlertManager's raise). */
  alert: (candidate: AlertCandidate) => Promise<unknown>;
  /** Runs happen only while this says so (one backup per deployment); absent, always. */
  isLeader?: IsLeader;
}

export interface BackupSchedule {
  /** No further runs; resolves once a run under way has ended. */
  stop(): Promise<void>;
}

export function startBackupSchedule(parts: BackupScheduleParts): BackupSchedule {
  const { settings, log } = parts;
  // A schedule just set has had no chance to make a backup yet: its age counts from then.
  let scheduledSince = Date.now();
  let lastMadeAt = 0;
  const checkAge = async (): Promise<void> => {
    const [next, after] = schedule.nextRuns(2);
    if (!next || !after) return;
    const intervalMs = after.getTime() - next.getTime();
    // Backups that cannot even be listed count as none.
    const listed = await listBackups(parts.config.DATA_DIR).catch(() => []);
    const newest = listed[0]?.createdAt.getTime() ?? 0;
    const ageMs = Date.now() - Math.max(newest, lastMadeAt, scheduledSince);
    if (ageMs <= 2 * intervalMs) return;
    await parts.alert({
      kind: 'health',
      subject: 'backup',
      message: `The newest backup is ${describeDuration(ageMs)} old, while backup.schedule makes one every ${describeDuration(intervalMs)}: scheduled backups are failing (see the log).`,
    });
  };
  const makeBackup = async (): Promise<void> => {
    try {
      const backup = await createBackup({
        config: parts.config,
        database: parts.database,
        passphrase: parts.passphrase,
      });
      const pruned = await pruneBackups(parts.config.DATA_DIR, {
        keepLast: settings.get('backup.keepLast'),
        keepDaily: settings.get('backup.keepDaily'),
        keepWeekly: settings.get('backup.keepWeekly'),
      });
      lastMadeAt = Date.now();
      log.info({ backup: backup.id, bytes: backup.bytes, pruned: pruned.removed }, 'scheduled backup made');
    } catch (error) {
      log.error({ err: error }, 'scheduled backup failed');
    }
  };
  const schedule = followCronSetting({
    pattern: () => settings.get('backup.schedule'),
    subscribe: (changed) => settingChanges(settings, 'backup.schedule', changed),
    task: whenLeading(parts.isLeader, async () => {
      await makeBackup();
      await checkAge().catch((error: unknown) => log.warn({ err: error }, 'could not check the age of the backups'));
    }),
    invalid: (pattern, error) =>
      log.warn({ err: error, pattern }, 'backup.schedule is not a cron pattern; no scheduled backups'),
    followed: () => {
      scheduledSince = Date.now();
    },
  });
  return { stop: () => schedule.stop() };
}
