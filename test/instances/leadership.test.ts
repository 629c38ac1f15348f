// Two platforms on one PostgreSQL schema: exactly one leads, a plugin's cron job fires on the leader
// only, leadership moves when the leader's lock connection dies or the leader stops, and
// `omnicore instances --json` shows both with the leader and their chat leases.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAdmin } from '../../src/testing/admin-client.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { assertBuilt, spawnOmnicore } from '../support/processes.js';

// Under the repository, so that the plugin's import of omnicore/plugin finds the build.
const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/leader-plugins-${process.pid}/`, import.meta.url));
const TICKER = `
import { definePlugin } from 'omnicore/plugin';
export default definePlugin({ name: 'ticker', version: '1.0.0', description: 'Ticks every second', platform: '*',
  setup(ctx) { ctx.schedule('* * * * * *', async () => ctx.log.info('ticker tick')); } });`;
const HEARTBEAT_MS = 200;

const ticks = (platform: TestPlatform): number => platform.logs.filter((line) => line.includes('ticker tick')).length;

describe('leadership on PostgreSQL', () => {
  let database: TestDatabase;
  let first: TestPlatform;
  let second: TestPlatform;

  beforeAll(async () => {
    assertBuilt();
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
    mkdirSync(path.join(PLUGINS_DIR, 'ticker'), { recursive: true });
    writeFileSync(path.join(PLUGINS_DIR, 'ticker', 'index.mjs'), TICKER);
    database = await createTestDatabase('postgres');
    first = await startTestPlatform(database, { PLUGINS_DIR }, { heartbeatMs: HEARTBEAT_MS });
    second = await startTestPlatform(database, { PLUGINS_DIR }, { heartbeatMs: HEARTBEAT_MS });
  }, 60_000);

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await database?.dispose();
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
  });

  const leaders = () => [first, second].filter((platform) => platform.isLeader());

  it('has exactly one leader, and runs a plugin cron job on it alone', async () => {
    expect(leaders()).toEqual([first]);
    await first.plugins.setEnabled('ticker', true);
    await second.plugins.setEnabled('ticker', true);
    await expect.poll(() => ticks(first), { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(ticks(second)).toBe(0);
  });

  it('lists both instances with the leader and their chat leases', async () => {
    const GONE = 'elsewhere:1:0a0b0c';
    const now = Date.now();
    await first.database.db
      .insertInto('chat_leases')
      .values([
        { chat_key: '1', owner: second.instanceId, until: now + 60_000 },
        { chat_key: '2', owner: second.instanceId, until: now + 60_000 },
        { chat_key: '3', owner: GONE, until: now - 1000 },
      ])
      .execute();
    // A stopped instance whose lease lapsed: no one renews it, and it is not counted.
    await first.database.db
      .insertInto('instances')
      .values({
        id: GONE,
        host: 'elsewhere',
        pid: 1,
        version: '0.0.0',
        url: null,
        started_at: now - 120_000,
        seen_at: now - 60_000,
        stopped_at: now - 60_000,
      })
      .execute();
    const listed = await spawnOmnicore(
      ['instances', '--json'],
      { DATABASE_URL: database.url as string, DATA_DIR: database.dataDir, LOG_LEVEL: 'silent', PORT: '0' },
      30_000,
    ).finished;
    expect(listed.code, listed.stderr).toBe(0);
    const instances = JSON.parse(listed.stdout) as { id: string; state: string; leader: boolean; leases: number }[];
    const byId = new Map(instances.map((instance) => [instance.id, instance]));
    expect(byId.get(first.instanceId)).toMatchObject({ state: 'live', leader: true, leases: 0 });
    expect(byId.get(second.instanceId)).toMatchObject({ state: 'live', leader: false, leases: 2 });
    expect(byId.get(GONE)).toMatchObject({ state: 'stopped', leader: false, leases: 0 });

    // The panel's System page shows the same: both instances, the leader marked.
    const admin = await signInAdmin(second);
    const page = (await admin.get('/admin/system')).body;
    const row = (id: string) => new RegExp(`data-instance="${id}">[\\s\\S]*?</tr>`).exec(page)?.[0] ?? '';
    expect(row(first.instanceId)).toContain('leader');
    expect(row(second.instanceId)).not.toContain('leader');
    expect(row(second.instanceId)).toMatch(/<td>2<\/td>/);
  });

  it('moves leadership when the leader loses its lock connection, and back when the new leader stops', async () => {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${first.instanceId}`.execute(
      second.database.db,
    );
    await expect.poll(() => leaders(), { timeout: 5000, interval: 50 }).toEqual([second]);
    expect(first.logs.join('')).toContain('this instance no longer leads the scheduled work');
    expect(second.logs.join('')).toContain('this instance now leads the scheduled work');
    // The old leader's cron job has stopped firing; the new one's fires.
    const before = ticks(first);
    await expect.poll(() => ticks(second), { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(ticks(first)).toBeLessThanOrEqual(before + 1);

    await second.stop();
    await expect.poll(() => first.isLeader(), { timeout: 5000, interval: 50 }).toBe(true);
  });
});
