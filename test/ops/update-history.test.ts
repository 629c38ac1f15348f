// The update_history rows on SQLite and PostgreSQL: an attempt is started, saved as it goes,
// written back when a restored backup no longer holds it, and listed newest first.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { UpdateHistory } from '../../src/ops/update/update-history.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const ATTEMPT = {
  fromVersion: '1.0.0',
  toVersion: '1.1.0',
  fromCommit: 'a'.repeat(40),
  toCommit: 'b'.repeat(40),
  status: 'running' as const,
  startedAt: 1_700_000_000_000,
  finishedAt: null,
  result: null,
  backupId: null,
  log: '',
};

describe.each(DATABASE_KINDS)('update history on %s', (kind) => {
  let database: TestDatabase;
  let history: UpdateHistory;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    const open = () => openDatabase({ url: database.url, dataDir: database.dataDir });
    const handle = await open();
    await migrateToLatest(handle);
    await handle.close();
    history = new UpdateHistory(open);
  });
  afterEach(() => database.dispose());

  it('keeps an attempt from start to its result, with its log and backup id', async () => {
    const id = await history.start(ATTEMPT);
    await history.save({ ...ATTEMPT, id, backupId: 'b-1', log: '$ npm ci\nadded 0 packages\n' });
    await history.save({
      ...ATTEMPT,
      id,
      backupId: 'b-1',
      status: 'succeeded',
      finishedAt: 1_700_000_060_000,
      result: 'updated to 1.1.0',
      log: 'done\n',
    });
    expect(await history.find(id)).toEqual({
      ...ATTEMPT,
      id,
      backupId: 'b-1',
      status: 'succeeded',
      finishedAt: 1_700_000_060_000,
      result: 'updated to 1.1.0',
      log: 'done\n',
    });
    expect(await history.running()).toEqual([]);
  });

  it('writes an attempt back when the database no longer has it, and lists newest first', async () => {
    const first = await history.start(ATTEMPT);
    const second = await history.start({ ...ATTEMPT, toVersion: '1.2.0' });
    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    await handle.db.deleteFrom('update_history').where('id', '=', second).execute();
    await handle.close();
    await history.save({ ...ATTEMPT, id: second, toVersion: '1.2.0', status: 'rolled_back', result: 'rolled back' });
    const listed = await history.list();
    expect(listed.map((row) => [row.toVersion, row.status])).toEqual([
      ['1.2.0', 'rolled_back'],
      ['1.1.0', 'running'],
    ]);
    expect(listed[1]?.id).toBe(first);
  });
});
