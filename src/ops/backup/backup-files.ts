// Where backups live and what they are called: DATA_DIR/backups/<id>.tar.gz, the id being the UTC
// time it was taken and a short random part, so that names sort in time order and never collide.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { OmniError } from '../../errors.js';

const ID_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{6}$/;
const ARCHIVE_SUFFIX = '.tar.gz';

export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

export function newBackupId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** When the backup of `id` was taken; undefined when `id` is not a backup id. */
export function backupTime(id: string): Date | undefined {
  const match = ID_PATTERN.exec(id);
  if (!match) return undefined;
  const [, year, month, day, hours, minutes, seconds] = match.map(Number) as number[];
  return new Date(Date.UTC(year as number, (month as number) - 1, day, hours, minutes, seconds));
}

export function archivePath(dataDir: string, id: string): string {
  return path.join(backupsDir(dataDir), `${id}${ARCHIVE_SUFFIX}`);
}

/** The id of a file in the backups folder, or undefined for anything else there (a partial file). */
export function idOfArchive(fileName: string): string | undefined {
  if (!fileName.endsWith(ARCHIVE_SUFFIX)) return undefined;
  const id = fileName.slice(0, -ARCHIVE_SUFFIX.length);
  return backupTime(id) ? id : undefined;
}

/** Checks an id from outside (a CLI argument, the panel) before it becomes part of a path. */
export function checkedBackupId(id: string): string {
  if (!backupTime(id))
    throw new OmniError('BACKUP_NOT_FOUND', `"${id}" is not a backup id (like 20261130T031500Z-1a2b3c)`);
  return id;
}
