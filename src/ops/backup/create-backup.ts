// createBackup: one archive DATA_DIR/backups/<id>.tar.gz holding a consistent copy of the database,
// the DATA_DIR files that matter and a manifest. The archive is written under a temporary name and
// renamed when complete, so that a failure or a kill never leaves a partial file under a backup's name.
import { mkdir, mkdtemp, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { create } from 'tar';
import type { DatabaseHandle } from '../../db/database.js';
import { OmniError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { archivePath, backupsDir, newBackupId } from './backup-files.js';
import type { BackupOptions } from './backup-options.js';
import { fileSets, packFileSet } from './data-files.js';
import { gitCommit } from './git-commit.js';
import { describePart, MANIFEST_NAME, type Manifest, type ManifestPart } from './manifest.js';
import { encryptFile } from './passphrase-cipher.js';
import { dumpPostgres, postgresSchemaVersion, postgresTarget } from './postgres-tools.js';
import { copySqlite, sqliteSchemaVersion } from './sqlite-copy.js';

export interface CreateBackupOptions extends BackupOptions {
  /** The open database of the configuration (the server's own, or the CLI's). */
  database: DatabaseHandle;
  now?: Date;
}

export interface BackupSummary {
  id: string;
  file: string;
  bytes: number;
  manifest: Manifest;
}

export const DATABASE_PART = { sqlite: 'database.sqlite', postgres: 'database.pgdump' } as const;

/**
 * Makes a backup of the running (or stopped) platform and returns its id and manifest. Safe while
 * the server handles updates: SQLite is copied through its online backup API, PostgreSQL dumped by
 * pg_dump, each a consistent snapshot. With a passphrase every part is encrypted (the manifest is
 * not). Throws BACKUP_TOOL_MISSING without pg_dump, BACKUP_FAILED for any other failure; either way
 * no archive and no temporary file is left.
 */
export async function createBackup(options: CreateBackupOptions): Promise<BackupSummary> {
  const { config, database } = options;
  const progress = options.onProgress ?? (() => {});
  const id = newBackupId(options.now);
  const dir = backupsDir(config.DATA_DIR);
  const partial = path.join(dir, `.${id}.tar.gz.partial`);
  let staging: string | undefined;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const work = await mkdtemp(path.join(dir, `.staging-${id}-`));
    staging = work;
    const parts: { name: string; role: ManifestPart['role'] }[] = [];
    const databasePart = DATABASE_PART[database.kind];
    let schemaVersion: string;
    if (database.kind === 'sqlite') {
      const copy = path.join(work, databasePart);
      await copySqlite(database.location, copy);
      schemaVersion = sqliteSchemaVersion(copy);
    } else {
      const target = postgresTarget(config.DATABASE_URL as string);
      schemaVersion = await postgresSchemaVersion(target);
      await dumpPostgres(target, path.join(work, databasePart));
    }
    parts.push({ name: databasePart, role: 'database' });
    progress(`database (${database.kind}) copied`);
    for (const set of fileSets(config.DATA_DIR, config.PLUGINS_DIR)) {
      if (await packFileSet(set, path.join(work, set.name))) {
        parts.push({ name: set.name, role: set.role });
        progress(`${set.role} packed`);
      }
    }
    if (options.passphrase) {
      for (const part of parts) {
        await encryptFile(path.join(work, part.name), path.join(work, `${part.name}.enc`), options.passphrase);
        await rm(path.join(work, part.name));
        part.name = `${part.name}.enc`;
      }
      progress('parts encrypted');
    }
    const manifest: Manifest = {
      format: 1,
      id,
      omnicoreVersion: VERSION,
      gitCommit: await gitCommit(),
      schemaVersion,
      database: database.kind,
      postgresSchema: database.kind === 'postgres' ? postgresTarget(config.DATABASE_URL as string).schema : null,
      createdAt: (options.now ?? new Date()).toISOString(),
      encrypted: Boolean(options.passphrase),
      parts: await Promise.all(parts.map((part) => describePart(work, part.name, part.role))),
    };
    await writeFile(path.join(work, MANIFEST_NAME), `${JSON.stringify(manifest, null, 2)}\n`);
    // The manifest first: listing a backup reads no further than it.
    await create({ file: partial, cwd: work, gzip: true, portable: true }, [
      MANIFEST_NAME,
      ...parts.map((part) => part.name),
    ]);
    await syncFile(partial);
    const file = archivePath(config.DATA_DIR, id);
    await rename(partial, file);
    progress(`archive written: ${path.basename(file)}`);
    return { id, file, bytes: (await stat(file)).size, manifest };
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof OmniError) throw error;
    throw new OmniError('BACKUP_FAILED', error instanceof Error ? error.message : String(error));
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

/** On disk before it gets its real name: a power cut must not leave a named but empty archive. */
async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
