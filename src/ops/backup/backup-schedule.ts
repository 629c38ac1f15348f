// The server's scheduled backups: on the cron pattern of the `backup.schedule` setting (empty: off),
// a backup of the running platform, then pruning by the `backup.keep*` settings, each result logged.
// A changed pattern applies at once; a run still under way when the next is due is not doubled.
import { Cron } from 'croner';
import type { Logger } from '../../config/logger.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { SettingsStore } from '../../db/settings-store.js';
import type { BackupOptions } from './backup-options.js';
import { createBackup } from './create-backup.js';
import { pruneBackups } from './prune-backups.js';

export interface BackupScheduleParts {
  config: BackupOptions['config'];
  passphrase: string | undefined;
  database: DatabaseHandle;
  settings: SettingsStore;
  log: Logger;
}

export interface BackupSchedule {
  /** No further runs; resolves once a run under way has ended. */
  stop(): Promise<void>;
}

export function startBackupSchedule(parts: BackupScheduleParts): BackupSchedule {
  const { settings, log } = parts;
  let job: Cron | undefined;
  let running: Promise<void> = Promise.resolve();
  const run = async (): Promise<void> => {
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
      log.info({ backup: backup.id, bytes: backup.bytes, pruned: pruned.removed }, 'scheduled backup made');
    } catch (error) {
      log.error({ err: error }, 'scheduled backup failed');
    }
  };
  const follow = (): void => {
    job?.stop();
    job = undefined;
    const pattern = settings.get('backup.schedule').trim();
    if (!pattern) return;
    try {
      job = new Cron(pattern, { protect: true }, () => {
        running = run();
        return running;
      });
    } catch (error) {
      log.warn({ err: error, pattern }, 'backup.schedule is not a cron pattern; no scheduled backups');
    }
  };
  const onChange = (key: string): void => {
    if (key === 'backup.schedule') follow();
  };
  settings.on('change', onChange);
  follow();
  return {
    async stop() {
      settings.off('change', onChange);
      job?.stop();
      await running;
    },
  };
}
