// Retention in a running platform, on SQLite and PostgreSQL: a database holding rows older than
// their retention (handled updates with their call journal, usage events, security events) has
// them deleted within seconds of the start, not an hour later, and keeps everything recent.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { FIRST_PURGE_AFTER_MS } from '../../src/ops/retention.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Past every default retention (inbox 7 days, usage and security events 90). */
const OLD = Date.now() - 100 * DAY_MS;
const RECENT = Date.now() - DAY_MS;

describe.each(DATABASE_KINDS)('retention on %s', (kind) => {
  let database: TestDatabase | undefined;
  let platform: TestPlatform | undefined;

  afterEach(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  it('purges old rows soon after start and keeps the recent ones', async () => {
    database = await createTestDatabase(kind);
    const seeding = await openDatabase({ url: database.url, dataDir: database.dataDir });
    await migrateToLatest(seeding);
    const update = (id: number, at: number) => ({
      update_id: id,
      chat_key: `c${id}`,
      payload: JSON.stringify({ update_id: id }),
      status: 'done' as const,
      attempts: 1,
      last_error: null,
      received_at: at,
      handled_at: at,
    });
    await seeding.db
      .insertInto('telegram_updates')
      .values([update(1, OLD), update(2, RECENT)])
      .execute();
    await seeding.db
      .insertInto('telegram_calls')
      .values([1, 2].map((id) => ({ update_id: id, seq: 0, method: 'sendMessage', result: '{}', at: OLD })))
      .execute();
    const usage = (at: number) => ({
      at,
      user_id: 5,
      chat_id: 5,
      kind: 'message',
      command: 'start',
      plugin: 'core',
      latency_ms: 3,
      outcome: 'ok',
    });
    await seeding.db
      .insertInto('usage_events')
      .values([usage(OLD), usage(RECENT)])
      .execute();
    const security = (at: number) => ({ at, type: 'flood', user_id: 5, ip: null, detail: '{}' });
    await seeding.db
      .insertInto('security_events')
      .values([security(OLD), security(RECENT)])
      .execute();
    await seeding.close();

    platform = await startTestPlatform(database, {});
    const { db } = platform.database;
    const left = async () => ({
      updates: (await db.selectFrom('telegram_updates').select('update_id').execute()).map((row) =>
        Number(row.update_id),
      ),
      calls: (await db.selectFrom('telegram_calls').select('update_id').execute()).map((row) => Number(row.update_id)),
      usage: (await db.selectFrom('usage_events').select('at').execute()).map((row) => Number(row.at)),
      security: (await db.selectFrom('security_events').select('at').execute()).map((row) => Number(row.at)),
    });
    await vi.waitFor(
      async () => expect(await left()).toEqual({ updates: [2], calls: [2], usage: [RECENT], security: [RECENT] }),
      { timeout: FIRST_PURGE_AFTER_MS + 10_000, interval: 250 },
    );
    expect(platform.logs.join('')).not.toMatch(/purge failed/);
  });
});
