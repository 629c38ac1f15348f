// The per-instance metrics the dashboard charts (/api/admin/metrics/instances), with two platforms on
// one PostgreSQL schema: one series per instance holding that instance's own samples, the window and
// the metrics asked for, the same answer from either instance, refused without a session, and a bad
// query answered 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricName } from '../../src/ops/observer/metric-catalog.js';
import { MetricStore, MINUTE_MS, type Point } from '../../src/ops/observer/metric-store.js';
import { signInAdmin } from '../../src/testing/admin-client.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const PATH = '/api/admin/metrics/instances';
/** What the dashboard charts per instance, unless asked for others. */
const DASHBOARD_METRICS = ['cpu.percent', 'eventloop.lag_ms', 'handler.latency_p95_ms', 'updates.per_minute'];

interface Report {
  from: number;
  to: number;
  instances: { id: string; series: Partial<Record<MetricName, Point[]>> }[];
}

describe('per-instance metrics API on PostgreSQL', () => {
  let database: TestDatabase;
  let first: TestPlatform;
  let second: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    first = await startTestPlatform(database, {}, { heartbeatMs: 200 });
    second = await startTestPlatform(database, {}, { heartbeatMs: 200 });
  }, 60_000);

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
    await database?.dispose();
  });

  const seriesOf = (report: Report, id: string) => report.instances.find((instance) => instance.id === id)?.series;

  it('answers one series per instance, each holding the samples that instance took', async () => {
    await first.observer.sample();
    await second.observer.sample();
    const response = await (await signInAdmin(first)).get(PATH);
    expect(response.status).toBe(200);
    const report = response.json<Report>();
    expect(report.to - report.from).toBe(30 * MINUTE_MS);
    expect(report.instances.map((instance) => instance.id)).toEqual([first.instanceId, second.instanceId].sort());
    for (const platform of [first, second]) {
      const series = seriesOf(report, platform.instanceId) ?? {};
      expect(Object.keys(series).sort()).toEqual(DASHBOARD_METRICS);
      expect(series['cpu.percent']?.length, platform.instanceId).toBeGreaterThan(0);
      for (const [metric, points] of Object.entries(series) as [MetricName, Point[]][]) {
        // The observer may have sampled again since the answer was read: compare up to its newest point.
        const newest = points.at(-1)?.at ?? 0;
        const own = platform.observer
          .latest()
          .filter((sample) => sample.at <= newest && sample.values[metric] !== undefined)
          .map((sample) => ({ at: sample.at, value: sample.values[metric] }));
        expect(points, `${platform.instanceId} ${metric}`).toEqual(own);
      }
    }
  });

  it('reads the window and the metrics asked for, from every instance that stored samples in it', async () => {
    const now = Date.now();
    const gone = 'elsewhere:7:0d0e0f';
    const store = new MetricStore(first.database.db, gone);
    await store.insert({ at: now - 50 * MINUTE_MS, values: { 'updates.per_minute': 99 } });
    await store.insert({ at: now - 5 * MINUTE_MS, values: { 'updates.per_minute': 42, 'errors.per_minute': 3 } });
    // Either instance gives the same view: the samples are read from the shared database.
    const admin = await signInAdmin(second);
    const read = async (query: string) => {
      const response = await admin.get(`${PATH}?${query}`);
      expect(response.status, query).toBe(200);
      return response.json<Report>();
    };

    const recent = await read('minutes=10&metrics=updates.per_minute,errors.per_minute');
    expect(recent.instances.map((instance) => instance.id)).toEqual([first.instanceId, gone, second.instanceId].sort());
    expect(seriesOf(recent, gone)).toEqual({
      'updates.per_minute': [{ at: now - 5 * MINUTE_MS, value: 42 }],
      'errors.per_minute': [{ at: now - 5 * MINUTE_MS, value: 3 }],
    });
    expect(Object.keys(seriesOf(recent, first.instanceId) ?? {}).sort()).toEqual([
      'errors.per_minute',
      'updates.per_minute',
    ]);

    const hour = await read('minutes=60&metrics=updates.per_minute');
    expect(seriesOf(hour, gone)).toEqual({
      'updates.per_minute': [
        { at: now - 50 * MINUTE_MS, value: 99 },
        { at: now - 5 * MINUTE_MS, value: 42 },
      ],
    });

    // Its samples are older than two minutes: it has not reported in that window.
    const lately = await read('minutes=2');
    expect(lately.instances.map((instance) => instance.id)).toEqual([first.instanceId, second.instanceId].sort());
  });

  it('refuses a request without a session, and a bad query with a 400 naming the field', async () => {
    const anonymous = await first.app.inject({ url: PATH });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).not.toContain('series');

    const admin = await signInAdmin(first);
    const refused: [string, RegExp][] = [
      ['minutes=0', /querystring\.minutes: /],
      ['minutes=soon', /querystring\.minutes: /],
      ['minutes=100000', /querystring\.minutes: /],
      ['metrics=cpu.percent,nonsense', /querystring\.metrics\.1: /],
      ['metrics=', /querystring\.metrics\.0: /],
    ];
    for (const [query, message] of refused) {
      const response = await admin.get(`${PATH}?${query}`);
      const { error } = response.json<{ error: { code: string; message: string } }>();
      expect([response.status, error.code], query).toEqual([400, 'OMNI_INVALID_INPUT']);
      expect(error.message, query).toMatch(message);
    }
  });
});
