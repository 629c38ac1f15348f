// The observer on SQLite and PostgreSQL: samples stored, rolled up per minute (idempotently),
// purged by the retention settings, read back as history and as hourly summaries; rates and gauges from the platform's
// counters; the live ring and its subscribers. The clock is moved by hand, never slept on.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/core/metrics.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import type { Sample } from '../../src/ops/observer/metric-catalog.js';
import { MetricStore } from '../../src/ops/observer/metric-store.js';
import { Observer } from '../../src/ops/observer/observer.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A minute boundary, so that expected minutes are easy to name. */
const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

describe.each(DATABASE_KINDS)('observer storage on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);

  it('rolls whole minutes up to their mean, once, and leaves the current minute raw', async () => {
    await fixture.handle.db.deleteFrom('system_metrics').execute();
    const store = new MetricStore(fixture.handle.db);
    // Three minutes of samples every 15 s; the third minute is still running at `now`.
    const samples: Sample[] = [];
    for (let i = 0; i < 12; i++) {
      samples.push({ at: T0 + i * 15_000, values: { 'cpu.percent': i, 'inbox.backlog': 100 - i } });
    }
    for (const sample of samples) await store.insert(sample);
    const now = T0 + 2 * MINUTE + 50_000;

    expect(await store.rollup(now)).toBe(2);
    expect(await store.history('cpu.percent', T0, now, '1m')).toEqual([
      { at: T0, value: 1.5 },
      { at: T0 + MINUTE, value: 5.5 },
    ]);
    expect(await store.history('inbox.backlog', T0, now, '1m')).toEqual([
      { at: T0, value: 98.5 },
      { at: T0 + MINUTE, value: 94.5 },
    ]);
    // Nothing new to roll up; a fresh store (a restart) finds where the last one stopped.
    expect(await store.rollup(now)).toBe(0);
    expect(await new MetricStore(fixture.handle.db).rollup(now)).toBe(0);
    expect(await store.history('cpu.percent', T0, now, '1m')).toHaveLength(2);

    expect(await store.rollup(T0 + 3 * MINUTE)).toBe(1);
    expect(await store.history('cpu.percent', T0, now, '1m')).toEqual([
      { at: T0, value: 1.5 },
      { at: T0 + MINUTE, value: 5.5 },
      { at: T0 + 2 * MINUTE, value: 9.5 },
    ]);
    const raw = await store.history('cpu.percent', T0 + MINUTE, T0 + 2 * MINUTE - 1, 'raw');
    expect(raw.map((point) => point.value)).toEqual([4, 5, 6, 7]);
  });

  it('combines the instances of a minute as each metric says, and keeps raw samples apart per instance', async () => {
    const { db } = fixture.handle;
    await db.deleteFrom('system_metrics').execute();
    const first = new MetricStore(db, 'host-a:1:aaaaaa');
    const second = new MetricStore(db, 'host-b:2:bbbbbb');
    // One minute, two samples each: rates add up, a latency percentile takes the worst, disk the least
    // free, the shared backlog is the same count seen twice.
    for (const [store, offset] of [
      [first, 0],
      [second, 10],
    ] as const) {
      for (const at of [T0 + 5_000, T0 + 35_000]) {
        await store.insert({
          at: at + offset,
          values: {
            'updates.per_minute': 100 + offset,
            'handler.latency_p95_ms': 20 + offset,
            'disk.free_percent': 50 - offset,
            'inbox.backlog': 7,
            'handler.latency_p50_ms': 4 + offset,
          },
        });
      }
    }
    expect(await first.rollup(T0 + MINUTE + 1)).toBe(1);
    const minute = async (name: Parameters<MetricStore['history']>[0]) =>
      (await first.history(name, T0, T0 + MINUTE, '1m')).map((point) => point.value);
    expect(await minute('updates.per_minute')).toEqual([210]);
    expect(await minute('handler.latency_p95_ms')).toEqual([30]);
    expect(await minute('disk.free_percent')).toEqual([40]);
    expect(await minute('inbox.backlog')).toEqual([7]);
    expect(await minute('handler.latency_p50_ms')).toEqual([9]);
    // Another instance taking the lead later finds the minute rolled up.
    expect(await second.rollup(T0 + MINUTE + 1)).toBe(0);
    expect(await second.history('updates.per_minute', T0, T0 + MINUTE, '1m')).toEqual([{ at: T0, value: 210 }]);
    // Raw: each instance's own samples.
    expect((await first.history('updates.per_minute', T0, T0 + MINUTE, 'raw')).map((p) => p.value)).toEqual([100, 100]);
    expect((await second.history('updates.per_minute', T0, T0 + MINUTE, 'raw')).map((p) => p.value)).toEqual([
      110, 110,
    ]);
    // Every instance's raw samples at once, by instance (the dashboard's per-instance charts); a
    // sample from before instances had ids is no one's, and the window's edges hold.
    await new MetricStore(db).insert({ at: T0 + 20_000, values: { 'updates.per_minute': 1 } });
    const byInstance = await second.rawByInstance('updates.per_minute', T0 + 5_000, T0 + 35_005);
    expect(Object.fromEntries(byInstance)).toEqual({
      'host-a:1:aaaaaa': [
        { at: T0 + 5_000, value: 100 },
        { at: T0 + 35_000, value: 100 },
      ],
      'host-b:2:bbbbbb': [{ at: T0 + 5_010, value: 110 }],
    });
  });

  it('summarises the per-minute rollups of each hour, in the database, by mean, min and max', async () => {
    const { db } = fixture.handle;
    await db.deleteFrom('system_metrics').execute();
    // Two hours of minutes: 0..59 in the first, 100..159 in the second; raw samples and another metric stay out.
    const rows = Array.from({ length: 120 }, (_, i) => ({
      name: 'users.active',
      value: i < 60 ? i : 40 + i,
      resolution: '1m',
      at: T0 + i * MINUTE,
    }));
    rows.push({ name: 'users.active', value: 1e6, resolution: 'raw', at: T0 + 5 * MINUTE });
    rows.push({ name: 'cpu.percent', value: 1e6, resolution: '1m', at: T0 + 5 * MINUTE });
    await db.insertInto('system_metrics').values(rows).execute();
    expect(await new MetricStore(db).hourly('users.active', T0, T0 + 2 * HOUR)).toEqual([
      { at: T0 + HOUR / 2, value: 29.5, low: 0, high: 59 },
      { at: T0 + HOUR + HOUR / 2, value: 129.5, low: 100, high: 159 },
    ]);
  });

  it('keeps raw samples for rawRetentionHours and rollups for rollupRetentionDays', async () => {
    await fixture.handle.db.deleteFrom('system_metrics').execute();
    const store = new MetricStore(fixture.handle.db);
    const now = T0 + 40 * DAY;
    for (const ageHours of [1, 23, 25, 24 * 29, 24 * 31]) {
      await store.insert({ at: now - ageHours * HOUR, values: { 'disk.free_bytes': ageHours } });
    }
    await store.rollup(now);
    await store.purge(now, 24, 30);

    const raw = await store.history('disk.free_bytes', 0, now, 'raw');
    expect(raw.map((point) => point.value)).toEqual([23, 1]);
    const rolled = await store.history('disk.free_bytes', 0, now, '1m');
    expect(rolled.map((point) => point.value)).toEqual([24 * 29, 25, 23, 1]);
  });

  it('samples on its clock: rates from the counters, live ring, subscribers, gauges, rollups by the settings', async () => {
    await fixture.handle.db.deleteFrom('system_metrics').execute();
    const settings = new SettingsStore(fixture.handle.db);
    await settings.set('observer.rawRetentionHours', 1);
    const metrics = createMetrics();
    let now = T0;
    let backlog = 3;
    const observer = new Observer({
      db: fixture.handle.db,
      metrics,
      settings,
      backlog: async () => backlog,
      dataDir: fixture.database.dataDir,
      log: pino({ level: 'silent' }),
      now: () => now,
    });
    const seen: Sample[] = [];
    const unsubscribe = observer.subscribe((sample) => seen.push(sample));
    try {
      const first = await observer.sample();
      expect(first.values['inbox.backlog']).toBe(3);
      expect(first.values['disk.free_bytes']).toBeGreaterThan(0);
      expect(first.values['updates.per_minute']).toBeUndefined();

      // 30 s later: 10 updates received, 8 handled (fast), 2 failed, one 429.
      now += 30_000;
      backlog = 7;
      metrics.updatesReceived.inc({ source: 'webhook' }, 10);
      metrics.updatesFailed.inc({ final: 'false' }, 2);
      metrics.updatesHandled.inc(8);
      for (const seconds of [0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.4]) {
        metrics.handlerDuration.observe(seconds);
      }
      metrics.rateLimited.inc({ method: 'sendMessage' });
      const second = await observer.sample();
      expect(second.values).toMatchObject({
        'updates.per_minute': 20,
        'errors.per_minute': 4,
        'errors.rate': 0.2,
        'telegram.rate_limited_per_minute': 2,
        'inbox.backlog': 7,
      });
      expect(second.values['handler.latency_p50_ms']).toBeGreaterThan(1);
      expect(second.values['handler.latency_p50_ms']).toBeLessThanOrEqual(2.5);
      expect(second.values['handler.latency_p95_ms']).toBeGreaterThan(250);

      unsubscribe();
      now += 30_000;
      await observer.sample();
      expect(seen).toEqual([first, second]);
      expect(observer.latest(2).map((sample) => sample.at)).toEqual([T0 + 30_000, T0 + 60_000]);
      // An interval without handled updates has no latency to report.
      expect(observer.latest(1)[0]?.values['handler.latency_p95_ms']).toBeUndefined();

      const exposition = await metrics.registry.metrics();
      expect(exposition).toMatch(/^omnicore_inbox_backlog 7$/m);
      expect(exposition).toMatch(/^omnicore_disk_free_bytes \d+/m);
      expect(exposition).toMatch(/^omnicore_bot_api_rate_limited_total\{method="sendMessage"\} 1$/m);

      // Two hours on, the hourly raw retention has removed the first minute's samples; its rollup stays.
      now += 2 * HOUR;
      await observer.sample();
      expect(await observer.history('inbox.backlog', T0, T0 + MINUTE - 1, 'raw')).toEqual([]);
      expect(await observer.history('inbox.backlog', T0, T0 + MINUTE - 1, '1m')).toEqual([{ at: T0, value: 5 }]);
    } finally {
      await observer.stop();
    }
  });
});
