// Sign-in lockout under concurrency, through the real login route: attempts sent all at once must
// not get more password checks than the limit, and a right password racing wrong ones is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAccounts } from '../../src/admin/accounts.js';
import { DEFAULT_SIGN_IN_LIMITS } from '../../src/admin/sign-in-guard.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';
const WRONG = 'wrong-password-here';

describe.each(['sqlite', 'postgres'] as const)('sign-in lockout on %s', (kind) => {
  let database: TestDatabase;
  let platform: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, { TRUST_PROXY: '1', LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  /** One sign-in per password for `username`, all in flight at once, each with its own form token. */
  async function signInAtOnce(username: string, passwords: string[], ip: string, server = platform) {
    const forms = await Promise.all(
      passwords.map(async () => {
        const page = await server.app.inject({ url: '/admin/login' });
        return {
          token: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string,
          cookie: String(page.headers['set-cookie']).split(';')[0] as string,
        };
      }),
    );
    const responses = await Promise.all(
      passwords.map((password, index) =>
        server.app.inject({
          method: 'POST',
          url: '/admin/login',
          headers: { cookie: forms[index]?.cookie as string, 'x-forwarded-for': ip },
          payload: { username, password, _csrf: forms[index]?.token as string },
        }),
      ),
    );
    return responses.map((response) => response.statusCode);
  }

  async function auditCount(actor: string, action: string): Promise<number> {
    const rows = await platform.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('actor', '=', actor)
      .where('action', '=', action)
      .execute();
    return rows.length;
  }

  it('checks at most the limit of passwords when 100 wrong ones arrive at once', async () => {
    await new AdminAccounts(platform.database.db).create('target1', PASSWORD);
    const statuses = await signInAtOnce('target1', Array(100).fill(WRONG), '198.51.100.1');
    const wrong = statuses.filter((status) => status === 401).length;
    expect(wrong).toBeLessThanOrEqual(DEFAULT_SIGN_IN_LIMITS.perUser);
    expect(statuses.filter((status) => status === 429)).toHaveLength(100 - wrong);
    expect(await auditCount('target1', 'admin.sign_in_failed')).toBe(wrong);
    expect(await auditCount('target1', 'admin.sign_in_locked')).toBe(100 - wrong);
  });

  it('refuses the right password sent together with 29 wrong ones once they used up the limit', async () => {
    await new AdminAccounts(platform.database.db).create('target2', PASSWORD);
    // The right one leaves last, so the wrong ones reach the lockout first.
    const statuses = await signInAtOnce('target2', [...Array(29).fill(WRONG), PASSWORD], '198.51.100.2');
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(DEFAULT_SIGN_IN_LIMITS.perUser);
    expect(await auditCount('target2', 'admin.sign_in')).toBe(0);
  });

  it('shares the limit between two instances on one database', async () => {
    await new AdminAccounts(platform.database.db).create('target4', PASSWORD);
    const other = await startTestPlatform(database, { TRUST_PROXY: '1', LOG_LEVEL: 'warn' });
    try {
      const [here, there] = await Promise.all([
        signInAtOnce('target4', Array(30).fill(WRONG), '198.51.100.4'),
        signInAtOnce('target4', Array(30).fill(WRONG), '198.51.100.4', other),
      ]);
      const statuses = [...here, ...there];
      expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(DEFAULT_SIGN_IN_LIMITS.perUser);
      expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('still signs in with the right password, and forgives the failures before it', async () => {
    await new AdminAccounts(platform.database.db).create('target3', PASSWORD);
    const limit = DEFAULT_SIGN_IN_LIMITS.perUser;
    expect(await signInAtOnce('target3', Array(limit - 1).fill(WRONG), '198.51.100.3')).toEqual(
      Array(limit - 1).fill(401),
    );
    expect(await signInAtOnce('target3', [PASSWORD], '198.51.100.3')).toEqual([303]);
    expect(await signInAtOnce('target3', Array(limit - 1).fill(WRONG), '198.51.100.3')).toEqual(
      Array(limit - 1).fill(401),
    );
    expect(await signInAtOnce('target3', [PASSWORD], '198.51.100.3')).toEqual([303]);
  });
});
