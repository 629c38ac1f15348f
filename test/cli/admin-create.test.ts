// `omnicore admin create <user>` as an operator runs it: the password piped on stdin, the account
// usable for sign-in afterwards, and clear one-line refusals for weak input and duplicates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdminAccounts } from '../../src/admin/accounts.js';
import { loadConfig } from '../../src/config/env.js';
import { openConfiguredDatabase } from '../../src/db/database.js';
import { assertBuilt, type Finished, spawnOmnicore } from '../support/processes.js';

let dataDir: string;

beforeAll(() => assertBuilt());
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-admin-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

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
    expect(twice.stderr.trim()).toBe('omnicore: an admin named "ops" already exists');
    expect((await create(['remove', 'ops'], '')).code).toBe(2);
  });
});
