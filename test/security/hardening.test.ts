// Platform hardening: limits on every route (body size, receive, handler and connection timeouts),
// an oversize body refused with 413 while the updates around it are all handled, helmet's headers,
// and no secret value in any log line or page during a run that goes through many error paths.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, SECRET_VARIABLES, secretValues } from '../../src/config/env.js';
import { createLogger } from '../../src/config/logger.js';
import { WEB_LIMITS } from '../../src/web/app.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { startTestPlatform, type TestPlatform, WEBHOOK_SECRET, webhookEnv } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const SECRETS = {
  ADMIN_PASSWORD: 'admin-pass-SECRET-4711',
  OPENAI_API_KEY: 'sk-test-SECRET-0123456789abcdef',
  STRIPE_SECRET_KEY: 'sk_test_SECRET_abcdef012345',
  GITHUB_TOKEN: 'ghp_SECRET0123456789abcdefghij',
};
const REDIS_PASSWORD = 'redis-pass-SECRET-815';
const OVERSIZE = 'x'.repeat(WEB_LIMITS.bodyLimit + 1024);

describe('platform hardening', () => {
  let database: TestDatabase;
  let fake: FakeBotApi;
  let platform: TestPlatform;
  const logs: string[] = [];
  const pages: string[] = [];
  let secrets: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    fake = await new FakeBotApi().start();
    // Redis refuses this password (it has none set): one more error path that must not leak it.
    const env = {
      ...webhookEnv(fake.url),
      ...SECRETS,
      ADMIN_USERNAME: 'ops',
      REDIS_URL: `redis://:${REDIS_PASSWORD}@127.0.0.1:6379`,
    };
    const config = loadConfig({ PORT: '0', DATA_DIR: database.dataDir, ...env, LOG_LEVEL: 'debug' });
    secrets = secretValues(config);
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        logs.push(String(chunk));
        callback();
      },
    });
    const logger = createLogger(config, secrets, sink);
    platform = await startTestPlatform(database, { ...env, LOG_LEVEL: 'debug' }, { logger });
    await platform.ready;
  });

  afterAll(async () => {
    await platform?.stop();
    await fake?.stop();
    await database?.dispose();
  });

  it('runs every route under the body limit and the receive and connection timeouts', () => {
    const { initialConfig, server } = platform.app;
    const { bodyLimit, requestTimeout, connectionTimeout } = WEB_LIMITS;
    expect(initialConfig).toMatchObject({ bodyLimit, requestTimeout, connectionTimeout });
    for (const value of Object.values(WEB_LIMITS)) expect(value).toBeGreaterThan(0);
    expect(WEB_LIMITS.bodyLimit).toBeLessThanOrEqual(1024 * 1024);
    expect(server.requestTimeout).toBe(WEB_LIMITS.requestTimeout);
    expect(server.timeout).toBe(WEB_LIMITS.connectionTimeout);
    expect(server.headersTimeout).toBeLessThanOrEqual(WEB_LIMITS.requestTimeout);
  });

  it('refuses an oversize body on every route that takes one, before reading it all', async () => {
    // printRoutes draws a tree: a route's path is its own segment after those of the lines above it.
    const ancestors: string[] = [];
    const routes: string[] = [];
    for (const line of platform.app.printRoutes({ commonPrefix: false }).split('\n')) {
      const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
      if (!match) continue;
      const depth = (match[1] as string).length / 4;
      ancestors[depth] = match[2] as string;
      if (!/POST|PUT|PATCH/.test(match[3] as string)) continue;
      const path = ancestors.slice(0, depth + 1).join('');
      routes.push(path.replace(/:\w+/g, 'x').replace(/^\*$/, '/plugins/none/route'));
    }
    expect(routes).toContain('/api/admin/settings');
    expect(routes).toContain('/telegram/webhook');
    for (const route of routes) {
      const response = await fetch(`${platform.url}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
        body: JSON.stringify({ update_id: 1, padding: OVERSIZE }),
        redirect: 'manual',
      });
      pages.push(await response.text());
      // Refused before the body is read (401, or 302 to the sign-in page; 404 for a payment provider
      // that takes no webhooks here) is as good as 413: the body is never buffered.
      const refused = route.startsWith('/payments/') ? [404, 413] : [302, 401, 403, 413];
      expect(refused, `${route} answered ${response.status}`).toContain(response.status);
      if (route === '/telegram/webhook') expect(response.status).toBe(413);
    }
  });

  it('handles every update sent alongside oversize ones', async () => {
    const chats = [901, 902, 903, 904, 905];
    const statuses = await Promise.all([
      ...chats.map((chatId) => platform.postUpdate(textUpdate('/help', { chatId })).then((r) => r.status)),
      ...chats.map(() => platform.postUpdate(textUpdate(`/start ${OVERSIZE}`)).then((r) => r.status)),
    ]);
    expect(statuses).toEqual([...chats.map(() => 200), ...chats.map(() => 413)]);
    await fake.waitFor(() => chats.every((chatId) => fake.sentTexts(chatId).length === 1));
  });

  it("sends helmet's security headers on pages, and spends none on the webhook", async () => {
    const page = await fetch(`${platform.url}/healthz`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const webhook = await platform.postUpdate(textUpdate('/start'), 'wrong');
    expect(webhook.headers.get('content-security-policy')).toBeNull();
  });

  /** Every admin page and API answer, signed in with the admin password (and once with it wrong). */
  async function adminPages(): Promise<string[]> {
    const form = await platform.app.inject({ url: '/admin/login' });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] as string;
    const loginCookie = String(form.headers['set-cookie']).split(';')[0] as string;
    const signIn = (password: string) =>
      platform.app.inject({
        method: 'POST',
        url: '/admin/login',
        headers: { cookie: loginCookie },
        payload: { username: 'ops', password, _csrf: token },
      });
    const bodies = [(await signIn(`${SECRETS.ADMIN_PASSWORD}!`)).body];
    const signedIn = await signIn(SECRETS.ADMIN_PASSWORD);
    expect(signedIn.statusCode).toBe(303);
    const cookie = String(signedIn.headers['set-cookie']).match(/omnicore_session=[^;]+/)?.[0] as string;
    const paths = [
      '/admin',
      '/admin/plugins',
      '/admin/settings',
      '/admin/users',
      '/admin/chat',
      '/admin/audit',
      '/admin/system',
      '/admin/security',
      '/api/admin/system',
      '/api/admin/settings',
      '/api/admin/plugins',
      '/api/admin/audit',
      '/api/admin/security/events',
    ];
    for (const url of paths) {
      const response = await platform.app.inject({ url, headers: { cookie } });
      expect(response.statusCode, url).toBe(200);
      bodies.push(response.body);
    }
    return bodies;
  }

  it('never writes a secret to a log line or a page, even on error paths', async () => {
    expect(secrets).toEqual(
      expect.arrayContaining([...Object.values(SECRETS), WEBHOOK_SECRET, REDIS_PASSWORD, webhookEnv('').BOT_TOKEN]),
    );
    expect(SECRET_VARIABLES).toEqual(expect.arrayContaining(Object.keys(SECRETS)));
    fake.fail('sendMessage', { status: 500 }, 3);
    fake.fail('sendMessage', { status: 429, retryAfter: 0 }, 1);
    for (const body of [textUpdate('/start', { chatId: 910 }), textUpdate('/status', { chatId: 911 })]) {
      expect((await platform.postUpdate(body)).status).toBe(200);
    }
    for (const [body, secret] of [
      ['{"update_id": 5, "message": ', WEBHOOK_SECRET],
      [textUpdate('/start'), `${WEBHOOK_SECRET}x`],
      [textUpdate('/start'), null],
    ] as const) {
      pages.push(await (await platform.postUpdate(body, secret)).text());
    }
    for (const path of ['/healthz', '/readyz', '/metrics', '/nowhere', '/plugins/none/x']) {
      pages.push(await (await fetch(`${platform.url}${path}`)).text());
    }
    pages.push(...(await adminPages()));
    await fake.waitFor(() => fake.sentTexts(910).length === 1 && fake.sentTexts(911).length === 1);
    await platform.idle();
    pages.push(JSON.stringify(await platform.security.events.list({ limit: 500 })));

    // The error paths did run: refused webhooks and failed Bot API calls were logged.
    expect(logs.some((line) => line.includes('GrammyError'))).toBe(true);
    expect(logs.some((line) => line.includes('wrong secret token'))).toBe(true);
    for (const secret of secrets) {
      expect(logs.filter((line) => line.includes(secret))).toEqual([]);
      expect(pages.filter((page) => page.includes(secret))).toEqual([]);
    }
  });
});
