// The platform's health checks of the publishing services, on both databases, against the fake
// Mastodon instance and the fake Forem the publishing plugin is tested with: healthy with the right
// credentials; a revoked Mastodon token or a wrong DEV.to key fails as "credentials refused", the
// result kept in the history, and no message carries the secret.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/env.js';
import { SettingsStore } from '../../../src/db/settings-store.js';
import { HealthMonitor } from '../../../src/ops/health/health-monitor.js';
import { configuredChecks } from '../../../src/ops/health/registry.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../../support/databases.js';
import { DEVTO_TEST_KEY, FakeForem } from '../../support/fake-forem.js';
import { FAKE_MASTODON_TOKEN, FakeMastodon } from '../../support/fake-mastodon.js';

const WRONG_KEY = 'devto-wrong-key-fedcba9876543210';
const SECRETS = [FAKE_MASTODON_TOKEN, DEVTO_TEST_KEY, WRONG_KEY];

const noDependencies = {
  pingDatabase: async () => {},
  getMe: async () => ({}),
  dispatcherStall: () => undefined,
};

describe.each(DATABASE_KINDS)('health of the publishing services (%s)', (kind) => {
  const mastodon = new FakeMastodon();
  const forem = new FakeForem();
  const fixture = useMigratedDatabase(kind);

  /** A monitor of just the two services, with this DEV.to key. */
  function monitor(devtoKey: string): HealthMonitor {
    const config = loadConfig({
      MASTODON_URL: mastodon.url,
      MASTODON_TOKEN: FAKE_MASTODON_TOKEN,
      DEVTO_API_ROOT: forem.url,
      DEVTO_API_KEY: devtoKey,
    });
    const checks = configuredChecks(config, noDependencies).filter((check) =>
      ['mastodon', 'devto'].includes(check.name),
    );
    return new HealthMonitor({
      db: fixture.handle.db,
      settings: new SettingsStore(fixture.handle.db),
      log: pino({ level: 'silent' }),
      timeoutMs: 5_000,
      checks,
    });
  }

  const verdicts = (results: { name: string; ok: boolean; error?: string }[]) =>
    Object.fromEntries(results.map((result) => [result.name, result.ok ? 'ok' : result.error]));

  beforeAll(async () => {
    await Promise.all([mastodon.start(), forem.start()]);
  });
  afterAll(async () => {
    await Promise.all([mastodon.stop(), forem.stop()]);
  });

  it('finds both services healthy with the right token and key, asking each who it is', async () => {
    expect(verdicts(await monitor(DEVTO_TEST_KEY).runAll())).toEqual({ mastodon: 'ok', devto: 'ok' });
    const asked = (path: string) => mastodon.requests.some((request) => request.path === path);
    expect(asked('/api/v1/accounts/verify_credentials')).toBe(true);
    expect(forem.requests.at(-1)).toMatchObject({ path: '/api/users/me', headers: { 'api-key': DEVTO_TEST_KEY } });
  });

  it('fails a wrong DEV.to key and a revoked Mastodon token as refused credentials, never naming them', async () => {
    const watch = monitor(WRONG_KEY);
    expect(verdicts(await watch.runAll())).toEqual({
      mastodon: 'ok',
      devto: `${new URL(forem.url).host} answered HTTP 401 (credentials refused)`,
    });
    mastodon.revoke();
    const results = await watch.runAll();
    expect(verdicts(results)).toMatchObject({
      mastodon: `${new URL(mastodon.url).host} answered HTTP 401 (credentials refused)`,
    });
    const history = await watch.history('mastodon', 0, Date.now());
    expect(history.map((result) => result.ok)).toEqual([true, true, false]);
    const said = JSON.stringify([...results, ...history]);
    for (const secret of SECRETS) expect(said).not.toContain(secret);
  });
});
