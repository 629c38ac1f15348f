import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { HealthMonitor } from '../../src/ops/health/health-monitor.js';
import { configuredChecks } from '../../src/ops/health/registry.js';
import { createTestDatabase, DATABASE_KINDS } from '../support/databases.js';
import { closeServer, listenLocally } from '../support/local-server.js';
import { useWebhookPlatform } from '../support/platform.js';

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

/** Answers like the services do: 200 with a JSON body for good credentials, 401 otherwise. */
class ServiceDouble {
  readonly seen: Seen[] = [];
  status: number | 'hang' = 200;
  private readonly server: Server = createServer((request, response) => {
    this.seen.push({ path: request.url ?? '', headers: request.headers });
    if (this.status === 'hang') return;
    response.writeHead(this.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(this.status === 200 ? { object: 'ok' } : { error: { message: 'Invalid API key' } }));
  });

  url = '';

  async start(): Promise<this> {
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}

const SECRETS = {
  OPENAI_API_KEY: 'sk-test-openai-000111',
  STRIPE_SECRET_KEY: 'sk_test_stripe_000222',
  CRYPTOPAY_TOKEN: '12345:cryptopay_token_000666',
  MASTODON_TOKEN: 'mastodon-token-000333',
  DEVTO_API_KEY: 'devto-key-000444',
  GITHUB_TOKEN: 'ghp_github_token_000555',
};

function serviceEnv(root: string): Record<string, string> {
  return {
    ...SECRETS,
    OPENAI_BASE_URL: `${root}/v1`,
    STRIPE_API_ROOT: root,
    CRYPTOPAY_API_ROOT: root,
    MASTODON_URL: root,
    DEVTO_API_ROOT: root,
    GITHUB_API_ROOT: root,
  };
}

const noDependencies = {
  pingDatabase: async () => {},
  getMe: async () => ({}),
  dispatcherStall: () => undefined,
};

describe('health-check providers', () => {
  let service: ServiceDouble;
  beforeAll(async () => {
    service = await new ServiceDouble().start();
  });
  afterAll(() => service.stop());

  it('checks only what is configured; the database and Telegram always', () => {
    const names = configuredChecks(loadConfig({}), noDependencies).map((check) => [check.name, check.critical]);
    expect(names).toEqual([
      ['database', true],
      ['dispatcher', true],
      ['telegram', true],
    ]);
    const all = configuredChecks(loadConfig(serviceEnv(service.url)), noDependencies).map((check) => check.name);
    expect(all).toEqual([
      'database',
      'dispatcher',
      'telegram',
      'llm',
      'stripe',
      'cryptopay',
      'mastodon',
      'devto',
      'github',
    ]);
  });

  it('calls each service endpoint with its credentials', async () => {
    service.status = 200;
    service.seen.length = 0;
    const checks = configuredChecks(loadConfig(serviceEnv(service.url)), noDependencies).slice(3);
    for (const check of checks) await check.run(new AbortController().signal);
    const byPath = Object.fromEntries(service.seen.map((seen) => [seen.path, seen.headers]));
    expect(byPath['/v1/models']?.authorization).toBe(`Bearer ${SECRETS.OPENAI_API_KEY}`);
    expect(byPath['/v1/balance']?.authorization).toBe(`Bearer ${SECRETS.STRIPE_SECRET_KEY}`);
    expect(byPath['/api/getMe']?.['crypto-pay-api-token']).toBe(SECRETS.CRYPTOPAY_TOKEN);
    expect(byPath['/api/v1/accounts/verify_credentials']?.authorization).toBe(`Bearer ${SECRETS.MASTODON_TOKEN}`);
    expect(byPath['/api/users/me']?.['api-key']).toBe(SECRETS.DEVTO_API_KEY);
    expect(byPath['/rate_limit']?.authorization).toBe(`Bearer ${SECRETS.GITHUB_TOKEN}`);
  });

  it('fails a refused key with the status and without the secret', async () => {
    service.status = 401;
    const checks = configuredChecks(loadConfig(serviceEnv(service.url)), noDependencies).slice(3);
    for (const check of checks) {
      const failure = await check.run(new AbortController().signal).then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/HTTP 401 \(credentials refused\)/);
      for (const secret of Object.values(SECRETS)) expect(failure).not.toContain(secret);
    }
  });
});

describe.each(DATABASE_KINDS)('health monitor on %s', (kind) => {
  it("times out a silent service, keeps the latest result and the instance's history, and purges by retention", async () => {
    const database = await createTestDatabase(kind);
    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    const service = await new ServiceDouble().start();
    try {
      await migrateToLatest(handle);
      const settings = new SettingsStore(handle.db);
      await settings.set('health.retentionDays', 1);
      const day = 24 * 60 * 60 * 1000;
      let now = Date.UTC(2026, 10, 1);
      const monitorOf = (instance: string) =>
        new HealthMonitor({
          db: handle.db,
          settings,
          log: pino({ level: 'silent' }),
          timeoutMs: 200,
          now: () => now,
          instance,
          checks: configuredChecks(
            loadConfig({ STRIPE_SECRET_KEY: SECRETS.STRIPE_SECRET_KEY, STRIPE_API_ROOT: service.url }),
            {
              pingDatabase: async () => {},
              getMe: async () => {
                throw new Error('Call to getMe failed! (401: Unauthorized)');
              },
              dispatcherStall: () => 'backlog not moving',
            },
          ),
        });
      const monitor = monitorOf('host-a:1:aaaaaa');
      const rounds: string[][] = [];
      monitor.subscribe((results) => rounds.push(results.map((result) => `${result.name}:${result.ok}`)));

      await monitor.runAll();
      now += day / 2;
      service.status = 'hang';
      const second = await monitor.runAll();
      expect(second.find((result) => result.name === 'stripe')).toMatchObject({
        ok: false,
        error: 'no answer within 200 ms',
      });
      expect(rounds).toEqual([
        ['database:true', 'dispatcher:false', 'telegram:false', 'stripe:true'],
        ['database:true', 'dispatcher:false', 'telegram:false', 'stripe:false'],
      ]);
      expect(monitor.latest().map((result) => [result.name, result.ok, result.at])).toEqual([
        ['database', true, now],
        ['dispatcher', false, now],
        ['telegram', false, now],
        ['stripe', false, now],
      ]);
      const history = await monitor.history('stripe', 0, now);
      expect(history.map((result) => result.ok)).toEqual([true, false]);
      expect(history[0]?.latencyMs).toBeGreaterThan(0);
      expect((await monitor.history('telegram', 0, now))[0]).toMatchObject({ critical: true, error: /401/ });

      // A day later the first round is past the one-day retention; the second is not.
      now += day * 0.75;
      service.status = 200;
      await monitor.runAll();
      expect((await monitor.history('stripe', 0, now)).map((result) => result.ok)).toEqual([false, true]);

      // Another instance on the same database keeps a history of its own.
      const other = monitorOf('host-b:2:bbbbbb');
      expect(await other.history('stripe', 0, now)).toEqual([]);
      await other.runAll();
      expect(await other.history('stripe', 0, now)).toHaveLength(1);
      expect(await monitor.history('stripe', 0, now)).toHaveLength(2);
    } finally {
      await service.stop();
      await handle.close();
      await database.dispose();
    }
  });
});

describe('/readyz with outside services', () => {
  const service = new ServiceDouble();
  beforeAll(async () => {
    await service.start();
    service.status = 503;
  });
  afterAll(() => service.stop());
  // Getters: the environment is read when the platform starts, once the service has its port.
  const fixture = useWebhookPlatform('sqlite', {
    get STRIPE_SECRET_KEY() {
      return SECRETS.STRIPE_SECRET_KEY;
    },
    get STRIPE_API_ROOT() {
      return service.url;
    },
  });

  it('stays ready while Stripe is down, and says so', async () => {
    await fixture.platform.health.runAll();
    const response = await fetch(`${fixture.platform.url}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, Record<string, unknown>>;
    expect(body.checks).toEqual({ database: { ok: true }, dispatcher: { ok: true }, bot: { ok: true } });
    expect(body.services?.stripe).toMatchObject({ ok: false, error: expect.stringMatching(/HTTP 503/) });
    expect(JSON.stringify(body)).not.toContain(SECRETS.STRIPE_SECRET_KEY);
  });
});
