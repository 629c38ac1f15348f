// Retention of backups: the newest N, the newest of each of the D most recent days with a backup,
// the newest of each of the W most recent weeks; dates come from the backups' names (their ids).
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archivePath, backupsDir, newBackupId } from '../../src/ops/backup/backup-files.js';
import { listBackups } from '../../src/ops/backup/list-backups.js';
import { pruneBackups } from '../../src/ops/backup/prune-backups.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A DATA_DIR whose backups folder holds (empty) archives taken at these times. */
function dataDirWith(times: string[]): { dataDir: string; ids: Map<string, string> } {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-prune-'));
  dirs.push(dataDir);
  mkdirSync(backupsDir(dataDir));
  const ids = new Map<string, string>();
  for (const time of times) {
    const id = newBackupId(new Date(time));
    writeFileSync(archivePath(dataDir, id), '');
    ids.set(time, id);
  }
  return { dataDir, ids };
}

describe('pruning backups', () => {
  it('keeps the newest N and nothing else when daily and weekly are off', async () => {
    const { dataDir, ids } = dataDirWith([
      '2026-11-01T03:00:00Z',
      '2026-11-02T03:00:00Z',
      '2026-11-03T03:00:00Z',
      '2026-11-04T03:00:00Z',
    ]);
    const result = await pruneBackups(dataDir, { keepLast: 2, keepDaily: 0, keepWeekly: 0 });
    expect(result.kept).toEqual([ids.get('2026-11-04T03:00:00Z'), ids.get('2026-11-03T03:00:00Z')]);
    expect(result.removed).toEqual([ids.get('2026-11-02T03:00:00Z'), ids.get('2026-11-01T03:00:00Z')]);
    expect((await listBackups(dataDir)).map((backup) => backup.id)).toEqual(result.kept);
  });

  it('keeps the newest backup of each recent day and of each recent week', async () => {
    const times = [
      // Sunday 29 and Saturday 28 November (one ISO week), several a day.
      '2026-11-29T18:00:00Z',
      '2026-11-29T12:00:00Z',
      '2026-11-29T06:00:00Z',
      '2026-11-28T18:00:00Z',
      '2026-11-28T06:00:00Z',
      // Friday 27: the third day with a backup.
      '2026-11-27T06:00:00Z',
      // The week before (Monday 16 to Sunday 22), and the one before that.
      '2026-11-20T06:00:00Z',
      '2026-11-18T06:00:00Z',
      '2026-11-10T06:00:00Z',
      // A month earlier: past every rule.
      '2026-10-01T06:00:00Z',
    ];
    const { dataDir, ids } = dataDirWith(times);
    const result = await pruneBackups(dataDir, { keepLast: 1, keepDaily: 2, keepWeekly: 3 });
    const kept = [
      '2026-11-29T18:00:00Z', // the newest, the newest of its day and of its week
      '2026-11-28T18:00:00Z', // the newest of the second day
      '2026-11-20T06:00:00Z', // the newest of the second week
      '2026-11-10T06:00:00Z', // the newest of the third week
    ].map((time) => ids.get(time));
    expect(result.kept).toEqual(kept);
    expect(result.removed).toHaveLength(times.length - kept.length);
    expect(readdirSync(backupsDir(dataDir))).toHaveLength(kept.length);
  });

  it('leaves files that are not backups alone', async () => {
    const { dataDir } = dataDirWith(['2026-11-01T03:00:00Z', '2026-11-02T03:00:00Z']);
    writeFileSync(path.join(backupsDir(dataDir), '.20261103T030000Z-abcdef.tar.gz.partial'), '');
    writeFileSync(path.join(backupsDir(dataDir), 'notes.txt'), '');
    const result = await pruneBackups(dataDir, { keepLast: 1, keepDaily: 0, keepWeekly: 0 });
    expect(result.removed).toHaveLength(1);
    expect(readdirSync(backupsDir(dataDir)).sort()).toHaveLength(3);
  });
});
