// The admin API's access rules without a browser (fastify's inject): cookie flags, CSRF on JSON and
// form bodies, expired sessions, safe redirects, lockout per address, and fuzzed requests that
// never produce a 5xx or change anything without a session.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminAccounts } from '../../src/admin/accounts.js';
import { faultScale } from '../faults/scale.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { adminSession, startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';

function sessionCookie(response: { headers: Record<string, unknown> }): string {
  return String(response.headers['set-cookie']).match(/omnicore_session=[^;]+/)?.[0] as string;
}

describe.each(['sqlite', 'postgres'] as const)('admin API on %s', (kind) => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let cookie: string;
  let csrf: string;

  /** The login form's double-submit token and its cookie. */
  async function loginForm(headers: Record<string, string> = {}) {
    const page = await platform.app.inject({ url: '/admin/login', headers });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const loginCookie = String(page.headers['set-cookie']).split(';')[0] as string;
    return { token, loginCookie };
  }

  async function signIn(username: string, password: string, headers: Record<string, string> = {}, next = '/admin') {
    const { token, loginCookie } = await loginForm(headers);
    return platform.app.inject({
      method: 'POST',
      url: '/admin/login',
      headers: { cookie: loginCookie, ...headers },
      payload: { username, password, _csrf: token, next },
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, {
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: PASSWORD,
      TRUST_PROXY: '1',
      // LLM mode on (an address nothing listens on: no conversation runs here) shows the AI settings.
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    const response = await signIn('admin', PASSWORD);
    cookie = sessionCookie(response);
    const page = await platform.app.inject({ url: '/admin/settings', headers: { cookie } });
    csrf = /name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] as string;
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
  });

  it('sets an httpOnly, SameSite=Strict session cookie, Secure behind an HTTPS proxy', async () => {
    const plain = await signIn('admin', PASSWORD);
    const plainCookie = String(plain.headers['set-cookie']);
    expect(plainCookie).toMatch(/omnicore_session=.*HttpOnly/);
    expect(plainCookie).toMatch(/SameSite=Strict/);
    expect(plainCookie).not.toMatch(/Secure/);
    const proxied = await signIn('admin', PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(String(proxied.headers['set-cookie'])).toMatch(/omnicore_session=.*Secure/);
  });

  it('accepts the CSRF token in a header or a form field, and nothing else', async () => {
    const put = (headers: Record<string, string>) =>
      platform.app.inject({
        method: 'PUT',
        url: '/api/admin/settings',
        headers: { cookie, ...headers },
        payload: { values: { 'inbox.retentionDays': 9 } },
      });
    expect((await put({})).statusCode).toBe(403);
    expect((await put({ 'x-csrf-token': `${csrf}x` })).statusCode).toBe(403);
    expect(platform.settings.get('inbox.retentionDays')).toBe(7);
    expect((await put({ 'x-csrf-token': csrf })).statusCode).toBe(200);
    expect(platform.settings.get('inbox.retentionDays')).toBe(9);
    const form = await platform.app.inject({
      method: 'POST',
      url: '/admin/logout',
      headers: { cookie: sessionCookie(await signIn('admin', PASSWORD)) },
      payload: { _csrf: 'wrong' },
    });
    expect(form.statusCode).toBe(403);
  });

  it('answers 401 once a session has expired, and the panel sends the browser to sign in', async () => {
    const response = await signIn('admin', PASSWORD);
    const stale = sessionCookie(response);
    expect((await platform.app.inject({ url: '/api/admin/system', headers: { cookie: stale } })).statusCode).toBe(200);
    await platform.database.db
      .updateTable('admin_sessions')
      .set({ expires_at: Date.now() - 1 })
      .where('created_at', '>=', 0)
      .execute();
    expect((await platform.app.inject({ url: '/api/admin/system', headers: { cookie: stale } })).statusCode).toBe(401);
    const page = await platform.app.inject({ url: '/admin/users', headers: { cookie: stale } });
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/admin/login?next=%2Fadmin%2Fusers');
    cookie = sessionCookie(await signIn('admin', PASSWORD));
    const settings = await platform.app.inject({ url: '/admin/settings', headers: { cookie } });
    csrf = /name="csrf-token" content="([^"]+)"/.exec(settings.body)?.[1] as string;
  });

  it("changes one's own password: the current one asked again, the browser kept, other sessions ended", async () => {
    const OLD = 'first-password-123';
    const NEW = 'second-password-456';
    await new AdminAccounts(platform.database.db).create('keeper', OLD);
    const mine = await adminSession(platform, 'keeper', OLD);
    const elsewhere = await adminSession(platform, 'keeper', OLD);
    const page = await platform.app.inject({ url: '/admin/account', headers: { cookie: mine.cookie } });
    expect(page.body).toContain('Change the password of <strong>keeper</strong>');
    const change = (fields: Record<string, string>, csrfToken = mine.csrf) =>
      platform.app.inject({
        method: 'POST',
        url: '/admin/account/password',
        headers: { cookie: mine.cookie },
        payload: { _csrf: csrfToken, ...fields },
      });
    expect((await change({ current: OLD, password: NEW, confirm: NEW }, 'forged')).statusCode).toBe(403);
    const wrong = await change({ current: 'not-my-password', password: NEW, confirm: NEW });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The current password is wrong.');
    expect((await change({ current: OLD, password: 'short', confirm: 'short' })).body).toContain('too weak');
    expect((await change({ current: OLD, password: NEW, confirm: `${NEW}x` })).body).toContain('differ');
    const done = await change({ current: OLD, password: NEW, confirm: NEW });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/admin/account?changed=1');
    const renewed = sessionCookie(done);
    const after = await platform.app.inject({ url: done.headers.location as string, headers: { cookie: renewed } });
    expect(after.body).toContain('Password changed.');
    for (const old of [mine.cookie, elsewhere.cookie]) {
      expect((await platform.app.inject({ url: '/api/admin/system', headers: { cookie: old } })).statusCode).toBe(401);
    }
    expect(sessionCookie(await signIn('keeper', OLD))).toBeUndefined();
    expect(sessionCookie(await signIn('keeper', NEW))).toBeDefined();
    const actions = (
      await platform.database.db.selectFrom('audit_log').select('action').where('actor', '=', 'keeper').execute()
    ).map((row) => row.action);
    expect(actions).toContain('admin.password_change_failed');
    expect(actions).toContain('admin.password_changed');
  });

  it('opens the panel from the site root and serves a favicon the pages link to', async () => {
    const root = await platform.app.inject({ url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/admin');
    const login = await platform.app.inject({ url: '/admin/login' });
    const icon = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(login.body)?.[1] as string;
    expect(icon).toBeDefined();
    const svg = await platform.app.inject({ url: icon });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    const legacy = await platform.app.inject({ url: '/favicon.ico' });
    expect(legacy.headers.location).toBe(icon);
  });

  it('shows the AI settings in LLM mode, the system prompt in a textarea', async () => {
    const response = await platform.app.inject({ url: '/api/admin/settings', headers: { cookie } });
    const groups = response.json().groups as { area: string; title: string; fields: { key: string; type: string }[] }[];
    const ai = groups.find((group) => group.area === 'ai');
    expect(ai?.title).toBe('AI conversation');
    expect(ai?.fields.find((field) => field.key === 'ai.systemPrompt')?.type).toBe('text');
    const page = await platform.app.inject({ url: '/admin/settings', headers: { cookie } });
    expect(page.body).toMatch(
      /data-field="ai\.systemPrompt" data-type="text">\s*<label[^>]*>System prompt<\/label>\s*<textarea/,
    );
  });

  it('never redirects outside the panel after sign-in', async () => {
    for (const next of ['//evil.example/admin', 'https://evil.example', '/administrator', '/admin/plugins']) {
      const response = await signIn('admin', PASSWORD, {}, next);
      expect(response.headers.location).toBe(next === '/admin/plugins' ? '/admin/plugins' : '/admin');
    }
  });

  it('sends a next= with line breaks, non-ASCII text or dot segments to /admin, never a 500', async () => {
    const unsafe = [
      '/admin\r\nSet-Cookie: injected=1',
      '/admin/x\nLocation: //evil.example',
      '/admin/é',
      '/admin/\u4e2d',
      '/admin/../metrics',
      '/admin/%2E%2e/metrics',
      '/admin\\@evil.example',
      '/admin/\u0000',
    ];
    for (const next of unsafe) {
      const response = await signIn('admin', PASSWORD, {}, next);
      expect(response.statusCode, JSON.stringify(next)).toBe(303);
      expect(response.headers.location).toBe('/admin');
      expect(String(response.headers['set-cookie'])).not.toContain('injected');
    }
    const kept = await signIn('admin', PASSWORD, {}, '/admin/users?q=%C3%A9&page=2');
    expect(kept.headers.location).toBe('/admin/users?q=%C3%A9&page=2');
    const form = await platform.app.inject({ url: `/admin/login?next=${encodeURIComponent('/admin/\u4e2d\r\n')}` });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="next" value="/admin"');
  });

  it('locks an address that fails too often, whatever names it tries', async () => {
    const address = { 'x-forwarded-for': '203.0.113.9' };
    for (let attempt = 0; attempt < 20; attempt++) {
      expect((await signIn(`nobody${attempt}`, 'wrong-password-here', address)).statusCode).toBe(401);
    }
    const locked = await signIn('admin', PASSWORD, address);
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signIn('admin', PASSWORD, { 'x-forwarded-for': '203.0.113.10' })).statusCode).toBe(303);
  });

  it('checks params, queries and bodies against the route schemas: 400 naming the field, nothing changed', async () => {
    const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, token = csrf) =>
      platform.app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': token },
        ...(payload ? { payload } : {}),
      });
    const errorOf = (response: { json(): unknown }) =>
      (response.json() as { ok: boolean; error: { code: string; message: string } }).error;
    const before = JSON.stringify(platform.settings.all());
    const refused: ['GET' | 'POST' | 'PUT', string, object | undefined, RegExp][] = [
      ['PUT', '/api/admin/settings', { value: { 'inbox.retentionDays': 3 } }, /body\.values: /],
      ['PUT', '/api/admin/plugins/notes/config', { config: 'maxNotes=3' }, /body\.config: /],
      ['POST', '/api/admin/users/forty-two/ban', { duration: '1h' }, /params\.id: /],
      ['POST', '/api/admin/users/42/ban', { duration: 'forever' }, /body\.duration: a duration like 10m/],
      ['GET', '/api/admin/users?page=0', undefined, /querystring\.page: /],
      ['GET', '/api/admin/alerts?limit=1000', undefined, /querystring\.limit: /],
    ];
    for (const [method, url, payload, message] of refused) {
      const response = await call(method, url, payload);
      expect([response.statusCode, response.json().ok, errorOf(response).code], url).toEqual([
        400,
        false,
        'OMNI_INVALID_INPUT',
      ]);
      expect(errorOf(response).message, url).toMatch(message);
    }
    // A forged request is refused as forged, before its body is judged.
    const forged = await call('PUT', '/api/admin/settings', { value: 1 }, 'forged');
    expect([forged.statusCode, errorOf(forged).code]).toEqual([403, 'OMNI_CSRF_REJECTED']);
    expect(JSON.stringify(platform.settings.all())).toBe(before);
    const bans = (await call('GET', '/api/admin/security/bans')).json() as { bans: { userId: number }[] };
    expect(bans.bans.map((ban) => ban.userId)).not.toContain(42);
    const banned = await call('POST', '/api/admin/users/42/ban', { duration: '1h', reason: 'schema test' });
    expect([banned.statusCode, banned.json().ban.userId]).toEqual([200, 42]);
  });

  it('survives fuzzed requests: no 5xx, and nothing changes without a session', async () => {
    const before = JSON.stringify(platform.settings.all());
    const paths = [
      '/api/admin/plugins',
      '/api/admin/plugins/x/enable',
      '/api/admin/plugins/x/config',
      '/api/admin/settings',
      '/api/admin/users',
      '/api/admin/users/1',
      '/api/admin/audit',
      '/api/admin/chat/messages',
      '/api/admin/chat/events',
      '/api/admin/chat/buttons',
      '/api/admin/chat/payments',
      '/admin/login',
      '/admin/logout',
      '/admin/users',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
        fc.constantFrom(...paths),
        fc.string({ maxLength: 40 }),
        fc.oneof(fc.jsonValue(), fc.string()),
        fc.boolean(),
        async (method, path, query, body, signedIn) => {
          const response = await platform.app.inject({
            method,
            url: `${path}?q=${encodeURIComponent(query)}&page=${encodeURIComponent(query)}&after=${encodeURIComponent(query)}`,
            headers: signedIn
              ? { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }
              : { 'content-type': 'application/json' },
            ...(method === 'GET' ? {} : { payload: JSON.stringify(body) ?? 'null' }),
          });
          expect(response.statusCode).toBeLessThan(500);
          // Signed out, a route answers 401; a method the route lacks is 404 either way.
          if (!signedIn && path.startsWith('/api/')) expect([401, 404]).toContain(response.statusCode);
        },
      ),
      { numRuns: faultScale.fuzzRuns },
    );
    expect(JSON.stringify(platform.settings.all())).toBe(before);
  });
});
