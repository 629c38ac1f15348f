// `omnicore backup …` through the built CLI, as an operator runs it, on both databases: create while
// the server runs, list, verify, a restore refused while the server answers and done once it is
// stopped, prune, bad usage, every change audited with the actor "cli".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/db/audit-log.js';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { assertBuilt, type Finished, spawnOmnicore, startOmnicore } from '../support/processes.js';

describe.each(DATABASE_KINDS)('omnicore backup on %s', (kind) => {
  let database: TestDatabase;
  let env: Record<string, string>;
  const omnicore = (args: string[], extra: Record<string, string> = {}): Promise<Finished> =>
    spawnOmnicore(['backup', ...args], { ...env, ...extra }, 60_000).finished;

  beforeAll(async () => {
    assertBuilt();
    database = await createTestDatabase(kind);
    env = { DATA_DIR: database.dataDir, LOG_LEVEL: 'warn', ...(database.url ? { DATABASE_URL: database.url } : {}) };
  });
  afterAll(() => database?.dispose());

  it('creates, lists, verifies, refuses to restore under a running server, restores once it stopped, prunes', async () => {
    const server = await startOmnicore(env);
    let id: string;
    try {
      const created = await omnicore(['create']);
      expect(created.code, created.stderr).toBe(0);
      id = /backup (\S+) created/.exec(created.stdout)?.[1] as string;
      expect(id).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);

      const listed = await omnicore(['list', '--json']);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([{ id, createdAt: expect.any(String), bytes: expect.any(Number) }]);

      const verified = await omnicore(['verify', id]);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toContain(`backup ${id} is good: ${kind}`);

      const port = new URL(server.url).port;
      const refused = await omnicore(['restore', id], { PORT: port });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('stop it first');
    } finally {
      server.killTree('SIGTERM');
      await server.finished;
    }
    const restored = await omnicore(['restore', id]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain(`backup ${id} restored`);

    const pruned = await omnicore(['prune', '--json']);
    expect(pruned.code).toBe(0);
    expect(JSON.parse(pruned.stdout)).toEqual({ kept: [id], removed: [] });

    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    try {
      const entries = await new AuditLog(handle.db).list({ limit: 20 });
      const byCli = entries.filter((entry) => entry.actor === 'cli').map((entry) => entry.action);
      // The restore put back the database as it was before the verify; what came after is audited anew.
      expect(byCli).toEqual(expect.arrayContaining(['backup.restore', 'backup.prune']));
    } finally {
      await handle.close();
    }
  });

  it('backs up a data directory no server has opened yet, as a new operator might first try', async () => {
    const fresh = await createTestDatabase(kind);
    try {
      const freshEnv = {
        DATA_DIR: fresh.dataDir,
        LOG_LEVEL: 'warn',
        ...(fresh.url ? { DATABASE_URL: fresh.url } : {}),
      };
      const created = await spawnOmnicore(['backup', 'create'], freshEnv, 60_000).finished;
      expect(created.code, created.stderr).toBe(0);
      const id = /backup (\S+) created/.exec(created.stdout)?.[1] as string;
      const verified = await spawnOmnicore(['backup', 'verify', id], freshEnv, 60_000).finished;
      expect(verified.code, verified.stderr).toBe(0);
    } finally {
      await fresh.dispose();
    }
  });

  it('exits 2 on bad usage and 1 with the reason on a backup that does not exist', async () => {
    expect((await omnicore(['verify'])).code).toBe(2);
    expect((await omnicore(['explode'])).code).toBe(2);
    const missing = await omnicore(['verify', '20200101T000000Z-abcdef']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such backup');
  });

  it.runIf(kind === 'postgres')('says clearly that pg_dump is missing', async () => {
    await spawnOmnicore(['migrate'], env, 60_000).finished;
    const created = await omnicore(['create'], { PATH: '/nonexistent' });
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('pg_dump is not on PATH');
  });
});
