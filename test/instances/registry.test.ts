// Each platform's row in `instances`: written at start with where it answers, kept fresh by its
// heartbeat, marked stopped at stop, and purged a day later; on SQLite the one instance leads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeInstances } from '../../src/db/instance-registry.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const HEARTBEAT_MS = 100;
const DAY_MS = 86_400_000;

describe.each(DATABASE_KINDS)('instance registry on %s', (kind) => {
  let database: TestDatabase;
  let platform: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, {}, { heartbeatMs: HEARTBEAT_MS });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  const row = () =>
    platform.database.db
      .selectFrom('instances')
      .selectAll()
      .where('id', '=', platform.instanceId)
      .executeTakeFirstOrThrow();

  it('registers the instance with its host, pid, version and url, and keeps its heartbeat fresh', async () => {
    const first = await row();
    expect(first).toMatchObject({ pid: process.pid, url: platform.url, stopped_at: null });
    expect(first.version).toMatch(/^\d+\.\d+\.\d+/);
    await expect.poll(async () => (await row()).seen_at, { timeout: 3000 }).toBeGreaterThan(first.seen_at);
    expect(platform.isLeader()).toBe(true);
  });

  it('marks the row stopped at stop, and retention purges stopped rows older than a day only', async () => {
    const { db } = platform.database;
    const old = Date.now() - 2 * DAY_MS;
    await db
      .insertInto('instances')
      .values([
        { id: 'gone', host: 'h', pid: 1, version: '0', url: null, started_at: old, seen_at: old, stopped_at: old },
        { id: 'vanished', host: 'h', pid: 2, version: '0', url: null, started_at: old, seen_at: old, stopped_at: null },
      ])
      .execute();
    await purgeInstances(platform.database, Date.now() - DAY_MS);
    const ids = (await db.selectFrom('instances').select('id').execute()).map((entry) => entry.id);
    expect(ids).toEqual([platform.instanceId]);

    const second = await startTestPlatform(database, {}, { heartbeatMs: HEARTBEAT_MS });
    await second.stop();
    const stopped = await db
      .selectFrom('instances')
      .selectAll()
      .where('id', '=', second.instanceId)
      .executeTakeFirstOrThrow();
    expect(stopped.stopped_at).not.toBeNull();
    expect(stopped.stopped_at).toBeGreaterThanOrEqual(stopped.started_at);
  });

  it('labels /metrics with the instance and names it on /readyz', async () => {
    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    expect(metrics).toContain(`instance_id="${platform.instanceId}"`);
    const ready = (await (await fetch(`${platform.url}/readyz`)).json()) as { instance: string; database: string };
    expect(ready.instance).toBe(platform.instanceId);
    expect(ready.database).toEqual(expect.any(String));
  });
});
