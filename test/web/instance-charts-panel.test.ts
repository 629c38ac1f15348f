// The dashboard's per-instance charts in a real browser (Debian's chromium through playwright-core):
// with two platforms on one PostgreSQL schema, a chart per key metric with a line labelled by each
// instance's id, and an instance that reports later joining at the next refresh; with one instance
// (SQLite) no such section, and the live charts as before.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricStore } from '../../src/ops/observer/metric-store.js';
import { launchChromium, type PageWatch, screenshot, signedInPanelPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';
const ADMIN = { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: PASSWORD };
const INSTANCE_CHARTS = ['updates', 'latency', 'cpu', 'lag'];

/** The labels of a chart's lines, sorted. */
const lineLabels = (page: Page, canvasId: string) =>
  page.evaluate<string[]>(`Chart.getChart('${canvasId}').data.datasets.map((line) => line.label).sort()`);

describe('per-instance charts with two instances on PostgreSQL', () => {
  let database: TestDatabase;
  let first: TestPlatform;
  let second: TestPlatform;
  let browser: Browser;
  const watch: PageWatch = { dialogs: [], cspViolations: [] };

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    first = await startTestPlatform(database, ADMIN, { heartbeatMs: 200 });
    second = await startTestPlatform(database, ADMIN, { heartbeatMs: 200 });
    await first.observer.sample();
    await second.observer.sample();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await second?.stop();
    await first?.stop();
    await database?.dispose();
  });

  it('draws a line per instance, labelled by its id, for each key metric, beside the live charts', async () => {
    const page = await signedInPanelPage(browser, first.url, 'admin', PASSWORD, watch);
    await page.getByTestId('instance-charts').waitFor({ state: 'visible' });
    const ids = [first.instanceId, second.instanceId].sort();
    for (const chart of INSTANCE_CHARTS) expect(await lineLabels(page, `instance-chart-${chart}`), chart).toEqual(ids);
    // Each line holds the samples of its own instance.
    const cpu = await page.evaluate<Record<string, number[]>>(
      "Object.fromEntries(Chart.getChart('instance-chart-cpu').data.datasets.map((line) => [line.label, line.data.map((point) => point.x)]))",
    );
    for (const platform of [first, second]) {
      const taken = platform.observer.latest().map((sample) => sample.at);
      expect(cpu[platform.instanceId]?.length, platform.instanceId).toBeGreaterThan(0);
      expect(taken, platform.instanceId).toEqual(expect.arrayContaining(cpu[platform.instanceId] ?? []));
    }
    await expect.poll(() => page.getByTestId('live-state').textContent()).toBe('live');
    expect(await page.evaluate<boolean>("Chart.getChart('chart-cpu') !== undefined")).toBe(true);
    await screenshot(page, 'dashboard-instances');

    // An instance that reports after the page opened joins at the next refresh, without a reload:
    // the tab coming back to the front refreshes at once (else within 15 s).
    const later = 'elsewhere:7:0d0e0f';
    await new MetricStore(first.database.db, later).insert({
      at: Date.now(),
      values: { 'cpu.percent': 12, 'updates.per_minute': 3 },
    });
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
    await expect
      .poll(() => lineLabels(page, 'instance-chart-cpu'), { timeout: 5_000, interval: 100 })
      .toEqual([...ids, later].sort());
    expect(watch.cspViolations).toEqual([]);
  }, 60_000);
});

describe('the dashboard with one instance (SQLite)', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let browser: Browser;
  const watch: PageWatch = { dialogs: [], cspViolations: [] };

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    platform = await startTestPlatform(database, ADMIN);
    await platform.observer.sample();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await database?.dispose();
  });

  it('shows no per-instance section, and the live charts as before', async () => {
    const page = await signedInPanelPage(browser, platform.url, 'admin', PASSWORD, watch);
    // The section learnt from the server that one instance reported, and stayed hidden.
    await page.locator('[data-testid=instance-charts][data-instances="1"]').waitFor({ state: 'attached' });
    expect(await page.getByTestId('instance-charts').isVisible()).toBe(false);
    for (const chart of INSTANCE_CHARTS) {
      expect(await page.evaluate<boolean>(`Chart.getChart('instance-chart-${chart}') === undefined`), chart).toBe(true);
    }
    await expect.poll(() => page.getByTestId('live-state').textContent()).toBe('live');
    expect(Number(await page.getByTestId('chart-cpu').getAttribute('data-points'))).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-one-instance');
    expect(watch.cspViolations).toEqual([]);
  });
});
