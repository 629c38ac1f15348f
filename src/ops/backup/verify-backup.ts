// verifyBackup: a backup is good when every part matches the manifest and its database restores
// into a scratch place and opens (SQLite: integrity check; PostgreSQL: pg_restore into a scratch
// database) with a row count per table, and its file parts read as archives.
import { list } from 'tar';
import { isPostgresUrl } from '../../db/database.js';
import { OmniError } from '../../errors.js';
import type { BackupOptions } from './backup-options.js';
import type { Manifest } from './manifest.js';
import { type OpenedBackup, openBackup } from './open-backup.js';
import { checkPostgresDump, postgresTarget } from './postgres-tools.js';
import { checkSqlite } from './sqlite-copy.js';

export interface VerifyReport {
  id: string;
  manifest: Manifest;
  /** Rows per table in the restored copy. */
  tables: Record<string, number>;
}

/**
 * Checks the backup `id` and returns its manifest and row counts. Refuses with BACKUP_CORRUPT and
 * the reason (cut short, bytes changed, a part missing, a checksum wrong, a database that does not
 * restore or fails its integrity check), BACKUP_PASSPHRASE (encrypted, passphrase missing or wrong),
 * BACKUP_NOT_FOUND. A PostgreSQL backup is checked on the configured PostgreSQL server, which must
 * let this user create a database; a SQLite backup needs no server. Changes nothing live.
 */
export async function verifyBackup(id: string, options: BackupOptions): Promise<VerifyReport> {
  const opened = await openBackup(id, { dataDir: options.config.DATA_DIR, passphrase: options.passphrase });
  try {
    return await verifyOpened(opened, options);
  } finally {
    await opened.dispose();
  }
}

/** The checks after the parts matched the manifest; restoreBackup runs them on what it restores. */
export async function verifyOpened(opened: OpenedBackup, options: BackupOptions): Promise<VerifyReport> {
  const { manifest } = opened;
  const progress = options.onProgress ?? (() => {});
  progress(`${manifest.parts.length} part(s) match the manifest`);
  const database = opened.partFile('database') as string;
  let tables: Record<string, number>;
  if (manifest.database === 'sqlite') {
    try {
      tables = checkSqlite(database);
    } catch (error) {
      throw new OmniError('BACKUP_CORRUPT', `the database copy does not open cleanly (${messageOf(error)})`);
    }
  } else {
    if (!isPostgresUrl(options.config.DATABASE_URL)) {
      throw new OmniError('BACKUP_WRONG_DATABASE', 'a PostgreSQL backup is checked on PostgreSQL: set DATABASE_URL');
    }
    try {
      tables = await checkPostgresDump(postgresTarget(options.config.DATABASE_URL as string), database);
    } catch (error) {
      if (error instanceof OmniError) throw error;
      throw new OmniError('BACKUP_CORRUPT', `the database dump does not restore (${messageOf(error)})`);
    }
  }
  progress(`database restored into a scratch place: ${Object.keys(tables).length} tables`);
  for (const role of ['data-files', 'plugins'] as const) {
    const file = opened.partFile(role);
    if (!file) continue;
    await list({ file, strict: true }).catch((error: unknown) => {
      throw new OmniError('BACKUP_CORRUPT', `the ${role} part is not a readable archive (${messageOf(error)})`);
    });
  }
  return { id: manifest.id, manifest, tables };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
