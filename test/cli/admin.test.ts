// `omnicore admin …` as an operator runs it: the password piped on stdin or typed at a terminal
// (hidden, asked twice, Enter ends it), the account usable for sign-in afterwards, list, passwd
// (which ends the account's sessions), delete (never the last admin), and one-line refusals.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminAccounts } from '../../src/admin/accounts.js';
import { SessionStore } from '../../src/admin/sessions.js';
import { loadConfig } from '../../src/config/env.js';
import { AuditLog } from '../../src/db/audit-log.js';
import { openConfiguredDatabase } from '../../src/db/database.js';
import { assertBuilt, type Finished, spawnOmnicore } from '../support/processes.js';

let dataDir: string;

beforeAll(() => assertBuilt());
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-admin-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `omnicore admin <args…>` on a pseudo-terminal, typing each entry once the text before it shows. */
async function typed(args: string[], script: [RegExp, string][]): Promise<Finished> {
  const run = spawnOmnicore(['admin', ...args], { DATA_DIR: dataDir }, 30_000, { terminal: true });
  for (const [prompt, keys] of script) {
    const deadline = Date.now() + 15_000;
    while (!prompt.test(run.output()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(run.output()).toMatch(prompt);
    run.child.stdin?.write(keys);
  }
  return run.finished;
}

async function withDatabase<T>(use: (database: Awaited<ReturnType<typeof openConfiguredDatabase>>) => Promise<T>) {
  const database = await openConfiguredDatabase(loadConfig({ DATA_DIR: dataDir }));
  try {
    return await use(database);
  } finally {
    await database.close();
  }
}

function create(args: string[], stdin: string): Promise<Finished> {
  const run = spawnOmnicore(['admin', ...args], { DATA_DIR: dataDir }, 30_000);
  run.child.stdin?.end(stdin);
  return run.finished;
}

describe('omnicore admin create', () => {
  it('creates an account whose password (read from stdin) signs in, hashed with argon2id', async () => {
    const result = await create(['create', 'ops'], 'a-long-enough-secret\n');
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('admin "ops" created');
    expect(result.stdout + result.stderr).not.toContain('a-long-enough-secret');
    const database = await openConfiguredDatabase(loadConfig({ DATA_DIR: dataDir }));
    try {
      const accounts = new AdminAccounts(database.db);
      await expect(accounts.verify('ops', 'a-long-enough-secret')).resolves.toMatchObject({ username: 'ops' });
      await expect(accounts.verify('ops', 'a-long-enough-secreT')).resolves.toBeUndefined();
      const row = await database.db.selectFrom('admin_users').select('password_hash').executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    } finally {
      await database.close();
    }
  });

  it('refuses a short password, a bad name, a duplicate and bad usage, in one line each', async () => {
    const short = await create(['create', 'ops'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr.trim()).toBe('omnicore: password: use at least 10 characters');
    const badName = await create(['create', 'a b'], 'a-long-enough-secret\n');
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/^omnicore: admin name: /);
    expect((await create(['create', 'ops'], 'a-long-enough-secret\n')).code).toBe(0);
    const twice = await create(['create', 'ops'], 'another-long-secret\n');
    expect(twice.code).toBe(1);
    expect(twice.stderr.trim()).toBe('omnicore: an admin with that name already exists: "ops"');
    expect((await create(['remove', 'ops'], '')).code).toBe(2);
  });

  it('typed at a terminal: hidden, asked twice, Enter ends each entry', async () => {
    const result = await typed(
      ['create', 'ops'],
      [
        [/Password for ops: /, 'typed-secret-one\r'],
        [/Repeat it: /, 'typed-secret-one\r'],
      ],
    );
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('admin "ops" created');
    expect(result.stdout).not.toContain('typed-secret');
    await withDatabase(async (database) => {
      await expect(new AdminAccounts(database.db).verify('ops', 'typed-secret-one')).resolves.toBeDefined();
    });
    const differ = await typed(
      ['create', 'ops2'],
      [
        [/Password for ops2: /, 'typed-secret-one\r'],
        [/Repeat it: /, 'typed-secret-two\r'],
      ],
    );
    expect(differ.code).toBe(1);
    expect(differ.stdout).toContain('omnicore: the two passwords differ');
  });
});

describe('omnicore admin list, passwd and delete', () => {
  it('lists names with when they were created and last signed in', async () => {
    expect((await create(['create', 'ops'], 'a-long-enough-secret\n')).code).toBe(0);
    expect((await create(['create', 'alice'], 'a-long-enough-secret\n')).code).toBe(0);
    await withDatabase((database) => new AdminAccounts(database.db).verify('ops', 'a-long-enough-secret'));
    const listed = await create(['list', '--json'], '');
    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout) as { username: string; createdAt: string; lastSignInAt: string | null }[];
    expect(entries.map((entry) => [entry.username, entry.lastSignInAt === null])).toEqual([
      ['alice', true],
      ['ops', false],
    ]);
    expect(Date.parse(entries[0]?.createdAt ?? '')).toBeGreaterThan(0);
    const text = await create(['list'], '');
    expect(text.stdout).toMatch(/^alice {2}created \S+ {2}last sign-in never$/m);
  });

  it('passwd changes the password and ends that account’s sessions', async () => {
    expect((await create(['create', 'ops'], 'a-long-enough-secret\n')).code).toBe(0);
    const token = await withDatabase(async (database) => {
      const account = await new AdminAccounts(database.db).verify('ops', 'a-long-enough-secret');
      return (await new SessionStore(database.db).create(account?.id ?? 0, { ip: '127.0.0.1', userAgent: 'test' }))
        .token;
    });
    const changed = await create(['passwd', 'ops'], 'a-brand-new-secret\n');
    expect(changed.code, changed.stderr).toBe(0);
    await withDatabase(async (database) => {
      const accounts = new AdminAccounts(database.db);
      await expect(accounts.passwordMatches('ops', 'a-brand-new-secret')).resolves.toBe(true);
      await expect(accounts.passwordMatches('ops', 'a-long-enough-secret')).resolves.toBe(false);
      await expect(new SessionStore(database.db).find(token)).resolves.toBeUndefined();
      const audit = await new AuditLog(database.db).list({ limit: 1 });
      expect(audit[0]).toMatchObject({ actor: 'cli', action: 'admin.passwd', target: 'ops' });
    });
    const unknown = await create(['passwd', 'nobody'], 'a-brand-new-secret\n');
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'omnicore: no such admin: "nobody"']);
  });

  it('delete removes an account but never the last one', async () => {
    expect((await create(['create', 'ops'], 'a-long-enough-secret\n')).code).toBe(0);
    expect((await create(['create', 'alice'], 'a-long-enough-secret\n')).code).toBe(0);
    const deleted = await create(['delete', 'alice'], '');
    expect(deleted.code, deleted.stderr).toBe(0);
    const last = await create(['delete', 'ops'], '');
    expect(last.code).toBe(1);
    expect(last.stderr.trim()).toBe('omnicore: the last admin cannot be deleted; create another one first');
    await withDatabase(async (database) => {
      await expect(new AdminAccounts(database.db).list()).resolves.toMatchObject([{ username: 'ops' }]);
    });
  });
});
