// listBackups: the backups in DATA_DIR/backups, newest first, as their names and sizes tell
// (partial files and scratch folders are left out).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { backupsDir, backupTime, idOfArchive } from './backup-files.js';

export interface BackupListing {
  id: string;
  file: string;
  createdAt: Date;
  bytes: number;
}

/** Newest first. Reads no archive: verifyBackup says whether one is good. */
export async function listBackups(dataDir: string): Promise<BackupListing[]> {
  const dir = backupsDir(dataDir);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const ids = names.flatMap((name) => idOfArchive(name) ?? []).sort((a, b) => (a < b ? 1 : -1));
  return Promise.all(
    ids.map(async (id) => {
      const file = path.join(dir, `${id}.tar.gz`);
      return { id, file, createdAt: backupTime(id) as Date, bytes: (await stat(file)).size };
    }),
  );
}
