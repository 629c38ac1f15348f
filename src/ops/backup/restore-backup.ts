// restoreBackup: puts a verified backup back: the database (SQLite: the file replaced; PostgreSQL:
// the schema replaced by pg_restore), the DATA_DIR files and plugins, then migrates to this code's
// latest schema.
import { existsSync } from 'node:fs';
import { copyFile, rename, rm } from 'node:fs/promises';
import SqliteDatabase from 'better-sqlite3';
import { isPostgresUrl, openDatabase, sqliteFile } from '../../db/database.js';
import { MIGRATION_NAMES, migrateToLatest } from '../../db/migrate.js';
import { OmniError } from '../../errors.js';
import type { BackupOptions } from './backup-options.js';
import { fileSets, unpackFileSet } from './data-files.js';
import type { Manifest } from './manifest.js';
import { openBackup, readManifest } from './open-backup.js';
import { postgresTarget, restorePostgres } from './postgres-tools.js';
import { verifyOpened } from './verify-backup.js';

export interface RestoreReport {
  id: string;
  manifest: Manifest;
  /** Migrations newer than the backup, applied after it was restored. */
  migrated: string[];
}

/**
 * Restores the backup `id` over the configured database and DATA_DIR. The caller guarantees that
 * no server works on this database meanwhile (`omnicore backup restore` refuses while one answers
 * on PORT; self-update stops the server first). Refuses, before touching anything, a backup from a
 * newer schema (BACKUP_SCHEMA_NEWER), of the other database kind or PostgreSQL schema
 * (BACKUP_WRONG_DATABASE: pg_restore recreates the schema under its dumped name), or one
 * that fails verifyBackup's checks. A PostgreSQL restore that fails puts the schema back as it was.
 */
export async function restoreBackup(id: string, options: BackupOptions): Promise<RestoreReport> {
  const { config } = options;
  const progress = options.onProgress ?? (() => {});
  const manifest = await readManifest(config.DATA_DIR, id);
  if (!MIGRATION_NAMES.includes(manifest.schemaVersion)) {
    throw new OmniError(
      'BACKUP_SCHEMA_NEWER',
      `its last migration "${manifest.schemaVersion}" is unknown here; it was made by OMNICore ${manifest.omnicoreVersion}: update first`,
    );
  }
  const configured = isPostgresUrl(config.DATABASE_URL) ? 'postgres' : 'sqlite';
  if (manifest.database !== configured) {
    throw new OmniError(
      'BACKUP_WRONG_DATABASE',
      `the backup holds ${manifest.database}, DATABASE_URL names ${configured}`,
    );
  }
  const schema = configured === 'postgres' ? postgresTarget(config.DATABASE_URL as string).schema : null;
  if (manifest.postgresSchema !== schema) {
    throw new OmniError(
      'BACKUP_WRONG_DATABASE',
      `the backup holds the schema "${manifest.postgresSchema}", DATABASE_URL names "${schema}"`,
    );
  }
  const opened = await openBackup(id, { dataDir: config.DATA_DIR, passphrase: options.passphrase });
  try {
    await verifyOpened(opened, options);
    const database = opened.partFile('database') as string;
    if (configured === 'sqlite') await replaceSqliteFile(sqliteFile(config.DATABASE_URL, config.DATA_DIR), database);
    else await restorePostgres(postgresTarget(config.DATABASE_URL as string), database);
    progress('database restored');
    for (const set of fileSets(config.DATA_DIR, config.PLUGINS_DIR)) {
      const file = opened.partFile(set.role);
      if (!file) continue;
      await unpackFileSet(set, file);
      progress(`${set.role} restored`);
    }
  } finally {
    await opened.dispose();
  }
  const handle = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
  });
  try {
    const results = await migrateToLatest(handle);
    progress(`migrated (${results.length} migration(s) applied)`);
    return { id: manifest.id, manifest, migrated: results.map((result) => result.migrationName) };
  } finally {
    await handle.close();
  }
}

/**
 * Puts `copy` in place of the SQLite file `target`. The old file's WAL is folded into it and
 * removed first: a WAL left beside the new file would be replayed onto it and corrupt it.
 */
async function replaceSqliteFile(target: string, copy: string): Promise<void> {
  if (existsSync(target)) {
    const old = new SqliteDatabase(target, { fileMustExist: true });
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
  }
  const incoming = `${target}.restoring`;
  await copyFile(copy, incoming);
  await rm(`${target}-wal`, { force: true });
  await rm(`${target}-shm`, { force: true });
  await rename(incoming, target);
}
