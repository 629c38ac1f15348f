// A stop-gap backup for the self-update until src/ops/backup lands: the SQLite database copied with
// SQLite's online backup API into DATA_DIR/update-backups/<id>.db, and copied back the same way (so
// a server holding the file open sees a consistent database). PostgreSQL is refused.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { OmniError } from '../../errors.js';
import type { UpdateBackup } from './types.js';

export function sqliteFileBackup(databaseFile: string, dataDir: string): UpdateBackup {
  const folder = path.join(dataDir, 'update-backups');
  const fileOf = (id: string): string => {
    if (!/^[\w-]+$/.test(id)) throw new OmniError('UPDATE_BACKUP_UNAVAILABLE', `no backup "${id}"`);
    return path.join(folder, `${id}.db`);
  };
  const copy = async (from: string, to: string): Promise<void> => {
    const source = new SqliteDatabase(from, { fileMustExist: true });
    try {
      await source.backup(to);
    } finally {
      source.close();
    }
  };
  return {
    async create() {
      mkdirSync(folder, { recursive: true });
      const id = `update-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await copy(databaseFile, fileOf(id));
      return { id };
    },
    restore: (id) => copy(fileOf(id), databaseFile),
  };
}
