// Alerting through the real path: observer samples (on a clock moved by hand) → detectors → alert
// manager → grammY → a fake Bot API. One incident is one Telegram message however long it lasts;
// the same problem after the cool-down is a new alert; the cool-down setting applies at once; a
// lasting rise is raised when it begins, not at each sample. Also:
// a forecast of the disk filling up, and a failing health check, each alerted once.
import { statfs } from 'node:fs/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../src/bot/telegram-bot.js';
import { loadConfig } from '../../src/config/env.js';
import { createMetrics, type PlatformMetrics } from '../../src/core/metrics.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { AlertManager } from '../../src/ops/alerts/alert-manager.js';
import { AnomalyWatch } from '../../src/ops/alerts/anomaly-watch.js';
import { HealthMonitor } from '../../src/ops/health/health-monitor.js';
import { configuredChecks } from '../../src/ops/health/registry.js';
import { MetricStore } from '../../src/ops/observer/metric-store.js';
import { Observer } from '../../src/ops/observer/observer.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeBotApi, TEST_TOKEN } from '../support/fake-bot-api.js';
import { freePort } from '../support/processes.js';

const ADMIN = 999;
const STEP = 30_000;

describe.each(DATABASE_KINDS)('alerts on %s', (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let fake: FakeBotApi;
  let settings: SettingsStore;
  let metrics: PlatformMetrics;
  let observer: Observer;
  let alerts: AlertManager;
  let watch: AnomalyWatch;
  let now = Date.UTC(2026, 10, 25, 12);
  let backlog = 0;
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    await migrateToLatest(handle);
    fake = await new FakeBotApi().start();
    const bot = createTelegramBot({ token: TEST_TOKEN, apiRoot: fake.url, throttle: false, timeoutSeconds: 10 });
    settings = new SettingsStore(handle.db);
    metrics = createMetrics();
    const clock = () => now;
    observer = new Observer({
      db: handle.db,
      metrics,
      settings,
      backlog: async () => backlog,
      dataDir: database.dataDir,
      log,
      now: clock,
    });
    alerts = new AlertManager({
      db: handle.db,
      settings,
      log,
      now: clock,
      notify: async (text) => {
        await bot.api.sendMessage(ADMIN, text);
      },
    });
    watch = new AnomalyWatch({ observer, alerts, settings, log });
    watch.start();
  });

  afterAll(async () => {
    await watch?.stop();
    await observer?.stop();
    await fake?.stop();
    await handle?.close();
    await database?.dispose();
  });

  /** 30 s of traffic: 100 updates, `failed` of them failing; then a sample, judged. */
  async function interval(failed: number, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) {
      now += STEP;
      metrics.updatesReceived.inc({ source: 'webhook' }, 100);
      metrics.updatesHandled.inc(100 - failed);
      if (failed > 0) metrics.updatesFailed.inc({ final: 'false' }, failed);
      await observer.sample();
      await watch.idle();
    }
  }

  const errorRateAlerts = () => fake.sentTexts(ADMIN).filter((text) => text.includes('errors.rate'));

  it('sends one message per incident, folds repeats within the cool-down, alerts again after it', async () => {
    await interval(0, 25);
    expect(fake.sentTexts(ADMIN)).toEqual([]);

    await interval(40);
    expect(errorRateAlerts()).toHaveLength(1);
    expect(errorRateAlerts()[0]).toMatch(/errors\.rate is 0\.400, out of its usual range/);

    // The incident goes on (past the hard limit of 0.5 for a while), pauses for five minutes, comes
    // back: all one alert.
    await interval(60, 2);
    await interval(0, 10);
    await interval(40);
    expect(errorRateAlerts()).toHaveLength(1);

    // 31 quiet minutes outlast the 30-minute cool-down: the next failure is a new incident.
    await interval(0, 62);
    await interval(40);
    expect(errorRateAlerts()).toHaveLength(2);

    const rows = (await alerts.recent()).filter((row) => row.subject === 'errors.rate');
    expect(rows.map((row) => [row.kind, row.occurrences, row.notified])).toEqual([
      ['anomaly', 1, 1],
      ['anomaly', 4, 1],
    ]);
    expect(rows[1]?.last_at).toBeGreaterThan(rows[1]?.first_at as number);

    // A shorter cool-down applies at once.
    await settings.set('alerts.cooldownMinutes', 1);
    await interval(0, 4);
    await interval(40);
    expect(errorRateAlerts()).toHaveLength(3);
    await settings.set('alerts.cooldownMinutes', 30);
  });

  it('alerts a value past its hard limit once while it stays there, not again as an anomaly', async () => {
    const backlogAlerts = () => fake.sentTexts(ADMIN).filter((text) => text.includes('inbox.backlog'));
    backlog = 1500;
    await interval(0, 10);
    backlog = 0;
    expect(backlogAlerts()).toEqual([
      expect.stringMatching(/^⚠️ OMNICore alert\ninbox\.backlog is 1500, past the limit of 1000: /),
    ]);
    const row = (await alerts.recent()).find((alert) => alert.subject === 'inbox.backlog');
    expect(row).toMatchObject({ kind: 'limit', occurrences: 10, notified: 1 });
  });

  it('forecasts the disk filling up within the horizon, once', async () => {
    const stats = await statfs(database.dataDir);
    const free = stats.bavail * stats.bsize;
    // Six hours of samples losing free space at a rate that empties the disk three days from now.
    const store = new MetricStore(handle.db);
    const rate = free / (72 * 3_600_000);
    for (let t = now - 6 * 3_600_000; t < now; t += 5 * 60_000) {
      await store.insert({ at: t, values: { 'disk.free_bytes': free + rate * (now - t) } });
    }
    await interval(0);
    await interval(0, 3);
    const forecasts = fake.sentTexts(ADMIN).filter((text) => text.includes('Disk full'));
    expect(forecasts).toHaveLength(1);
    expect(forecasts[0]).toMatch(/Disk full in about 3 days at the present rate/);
  });

  it('alerts a failing health check once while it keeps failing', async () => {
    const port = await freePort();
    const config = loadConfig({
      STRIPE_SECRET_KEY: 'sk_test_alerts_0123',
      STRIPE_API_ROOT: `http://127.0.0.1:${port}`,
    });
    const checks = configuredChecks(config, {
      pingDatabase: async () => {},
      getMe: async () => ({}),
      dispatcherStall: () => undefined,
    });
    const health = new HealthMonitor({ db: handle.db, settings, log, checks, now: () => now, timeoutMs: 2000 });
    const healthWatch = new AnomalyWatch({ observer, health, alerts, settings, log });
    healthWatch.start();
    try {
      for (let round = 0; round < 3; round++) {
        now += 60_000;
        await health.runAll();
        await healthWatch.idle();
      }
    } finally {
      await healthWatch.stop();
    }
    const texts = fake.sentTexts(ADMIN).filter((text) => text.includes('Health check'));
    expect(texts).toEqual([expect.stringMatching(/Health check "stripe" is failing: /)]);
    expect(texts[0]).not.toContain('sk_test_alerts_0123');
  });

  it('raises a lasting rise once, when it begins: its later samples are the same event', async () => {
    await interval(0, 62);
    const before = errorRateAlerts().length;
    await interval(30, 8);
    expect(errorRateAlerts()).toHaveLength(before + 1);
    const [latest] = (await alerts.recent()).filter((row) => row.subject === 'errors.rate');
    expect([latest?.kind, latest?.occurrences]).toEqual(['anomaly', 1]);
  });
});
