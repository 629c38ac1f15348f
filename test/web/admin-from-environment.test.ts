// ADMIN_USERNAME / ADMIN_PASSWORD at each start: the named account is created when missing (other
// admins or not), an existing one keeps its password, and a differing ADMIN_PASSWORD is reported
// in one warning that never holds the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const FIRST_PASSWORD = 'first-admin-password';
const SECOND_PASSWORD = 'second-admin-password';
const CHANGED_PASSWORD = 'changed-in-environment';

describe.each(['sqlite', 'postgres'] as const)('admin from the environment on %s', (kind) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });

  afterAll(async () => {
    await database?.dispose();
  });

  /** Starts the platform with these credentials, runs `check` against it, and stops it. */
  async function startWith(username: string, password: string, check: (platform: TestPlatform) => Promise<void>) {
    const platform = await startTestPlatform(database, { ADMIN_USERNAME: username, ADMIN_PASSWORD: password });
    try {
      await check(platform);
    } finally {
      await platform.stop();
    }
  }

  async function signIn(platform: TestPlatform, username: string, password: string): Promise<number> {
    const page = await platform.app.inject({ url: '/admin/login' });
    const response = await platform.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { cookie: String(page.headers['set-cookie']).split(';')[0] as string },
      payload: { username, password, _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string },
    });
    return response.statusCode;
  }

  const lines = (platform: TestPlatform, text: string) => platform.logs.filter((line) => line.includes(text));

  it('creates the named account at the first start', async () => {
    await startWith('first', FIRST_PASSWORD, async (platform) => {
      expect(lines(platform, 'created the admin account named by ADMIN_USERNAME')).toHaveLength(1);
      expect(await signIn(platform, 'first', FIRST_PASSWORD)).toBe(303);
    });
  });

  it('creates a newly named account although another admin exists', async () => {
    await startWith('second', SECOND_PASSWORD, async (platform) => {
      expect(await signIn(platform, 'second', SECOND_PASSWORD)).toBe(303);
      expect(await signIn(platform, 'first', FIRST_PASSWORD)).toBe(303);
    });
  });

  it('leaves an existing account as it is, with one info line', async () => {
    await startWith('first', FIRST_PASSWORD, async (platform) => {
      expect(lines(platform, 'ADMIN_USERNAME exists; left as it is')).toHaveLength(1);
      expect(lines(platform, 'ADMIN_PASSWORD is not applied')).toEqual([]);
    });
  });

  it('keeps the stored password when ADMIN_PASSWORD differs, and warns without the password', async () => {
    await startWith('first', CHANGED_PASSWORD, async (platform) => {
      const warnings = lines(platform, 'ADMIN_PASSWORD is not applied');
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0] as string)).toMatchObject({ level: 40, username: 'first' });
      expect(await signIn(platform, 'first', FIRST_PASSWORD)).toBe(303);
      expect(await signIn(platform, 'first', CHANGED_PASSWORD)).toBe(401);
      expect(platform.logs.join('')).not.toContain(CHANGED_PASSWORD);
      expect(platform.logs.join('')).not.toContain(FIRST_PASSWORD);
    });
  });
});
