// A flood of forged webhook calls over real HTTP: each is refused and counted by the metric, but
// they become one security event (with the count) and one log line per address per window.
import { describe, expect, it } from 'vitest';
import { singleMetric } from '../support/metrics-text.js';
import { type TestPlatform, useWebhookPlatform, WEBHOOK_SECRET } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const WINDOW_MS = 1000;
const CALLS = 1000;
const IN_FLIGHT = 50;

async function forgeries(platform: TestPlatform): Promise<number> {
  const text = await singleMetric(platform, 'omnicore_webhook_forgeries_total');
  return Number(/omnicore_webhook_forgeries_total (\d+)/.exec(text)?.[1]);
}

describe.each(['sqlite', 'postgres'] as const)('forged webhook flood on %s', (kind) => {
  const fixture = useWebhookPlatform(kind, { LOG_LEVEL: 'warn' }, { forgeryWindowMs: WINDOW_MS });

  it(`turns ${CALLS} forged calls from one address into one event and one log line per window`, async () => {
    const { platform } = fixture;
    const metricBefore = await forgeries(platform);
    const logged = () => platform.logs.filter((line) => line.includes('wrong secret token')).length;
    const logsBefore = logged();
    const started = Date.now();
    const body = JSON.stringify(textUpdate('/start'));
    let sent = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (sent < CALLS) {
          sent++;
          statuses.push((await platform.postUpdate(body, `${WEBHOOK_SECRET}-guess`)).status);
        }
      }),
    );
    const elapsed = Date.now() - started;
    expect(statuses).toEqual(Array(CALLS).fill(401));
    expect((await forgeries(platform)) - metricBefore).toBe(CALLS);

    // Every window the flood touched closes within one more window.
    const windows = Math.ceil(elapsed / WINDOW_MS) + 1;
    let events = await platform.security.events.list({ type: 'webhook_forgery', limit: 500 });
    const deadline = Date.now() + 3 * WINDOW_MS + 5000;
    const total = () => events.reduce((sum, event) => sum + Number(event.detail.count), 0);
    while (total() < CALLS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      events = await platform.security.events.list({ type: 'webhook_forgery', limit: 500 });
    }
    expect(total()).toBe(CALLS);
    expect(events.length).toBeLessThanOrEqual(windows);
    for (const event of events) {
      expect(event.ip).toBe('127.0.0.1');
      expect(event.detail).toEqual({ secret: 'wrong', count: expect.any(Number) });
    }
    expect(logged() - logsBefore).toBeGreaterThan(0);
    expect(logged() - logsBefore).toBeLessThanOrEqual(windows);
    expect(platform.logs.join('')).not.toContain(`${WEBHOOK_SECRET}-guess`);
  });
});
