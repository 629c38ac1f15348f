// The backups as the running server offers them to the admin panel: listed with their manifests,
// made through the server's own database handle (an online copy), verified, pruned by the
// `backup.keep*` settings, and the newest one's age judged against `backup.schedule`.
import { Cron } from 'croner';
import type { DatabaseHandle } from '../../db/database.js';
import type { SettingsStore } from '../../db/settings-store.js';
import type { BackupOptions } from '../backup/backup-options.js';
import { createBackup } from '../backup/create-backup.js';
import { listBackups } from '../backup/list-backups.js';
import { readManifest } from '../backup/open-backup.js';
import { pruneBackups, type RetentionPolicy } from '../backup/prune-backups.js';
import { verifyBackup } from '../backup/verify-backup.js';

export interface BackupEntry {
  id: string;
  createdAt: number;
  bytes: number;
  /** From the manifest; null when it cannot be read (the archive is damaged: Verify says how). */
  database: 'sqlite' | 'postgres' | null;
  version: string | null;
  encrypted: boolean | null;
}

export interface BackupFreshness {
  newest: { id: string; createdAt: number; bytes: number } | null;
  /** The cron pattern of backup.schedule; empty: no scheduled backups. */
  schedule: string;
  /** Between two scheduled runs; null without a (valid) schedule. */
  intervalMs: number | null;
  /** Older than twice the interval, or none while a schedule is set. */
  stale: boolean;
}

export interface BackupDeskParts {
  config: BackupOptions['config'];
  passphrase: string | undefined;
  database: DatabaseHandle;
  settings: SettingsStore;
}

export type BackupDesk = ReturnType<typeof backupDesk>;

export function backupDesk({ config, passphrase, database, settings }: BackupDeskParts) {
  const options = { config, passphrase };
  const retention = (): RetentionPolicy => ({
    keepLast: settings.get('backup.keepLast'),
    keepDaily: settings.get('backup.keepDaily'),
    keepWeekly: settings.get('backup.keepWeekly'),
  });
  return {
    /** New backups are encrypted (BACKUP_PASSPHRASE is set). */
    encrypted: Boolean(passphrase),
    retention,
    async list(): Promise<BackupEntry[]> {
      const listed = await listBackups(config.DATA_DIR);
      return Promise.all(
        listed.map(async (backup) => {
          const manifest = await readManifest(config.DATA_DIR, backup.id).catch(() => undefined);
          return {
            id: backup.id,
            createdAt: backup.createdAt.getTime(),
            bytes: backup.bytes,
            database: manifest?.database ?? null,
            version: manifest?.omnicoreVersion ?? null,
            encrypted: manifest?.encrypted ?? null,
          };
        }),
      );
    },
    create: () => createBackup({ config, database, passphrase }),
    verify: (id: string) => verifyBackup(id, options),
    prune: () => pruneBackups(config.DATA_DIR, retention()),
    async freshness(now = Date.now()): Promise<BackupFreshness> {
      const [newest] = await listBackups(config.DATA_DIR).catch(() => []);
      const schedule = settings.get('backup.schedule').trim();
      const intervalMs = scheduleInterval(schedule);
      const createdAt = newest?.createdAt.getTime();
      return {
        newest: newest ? { id: newest.id, createdAt: createdAt as number, bytes: newest.bytes } : null,
        schedule,
        intervalMs,
        stale: intervalMs !== null && (createdAt === undefined || now - createdAt > 2 * intervalMs),
      };
    },
  };
}

/** The time between the pattern's next two runs, as backup-schedule.ts measures it. */
function scheduleInterval(pattern: string): number | null {
  if (!pattern) return null;
  try {
    const [next, after] = new Cron(pattern, { paused: true }).nextRuns(2);
    return next && after ? after.getTime() - next.getTime() : null;
  } catch {
    return null;
  }
}
