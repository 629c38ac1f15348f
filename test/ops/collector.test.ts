// The collector's own readings: a blocked event loop shows as lag, the conversation's answers as rates,
// and latency quantiles come from histogram buckets as PromQL's histogram_quantile computes them.
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/core/metrics.js';
import { MetricsCollector } from '../../src/ops/observer/collector.js';
import { bucketDelta, histogramQuantile } from '../../src/ops/observer/histogram-quantile.js';
import { useMigratedDatabase } from '../support/databases.js';

describe('metrics collector', () => {
  const fixture = useMigratedDatabase('sqlite');

  it('reports a blocked event loop as lag, and a free one as little', async () => {
    const collector = new MetricsCollector({
      db: fixture.handle.db,
      metrics: createMetrics(),
      backlog: async () => 0,
      dataDir: fixture.database.dataDir,
    });
    try {
      await collector.collect(Date.now());
      // Node's monitor drops the first tick after the reset a sample makes; let it pass.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const until = performance.now() + 250;
      while (performance.now() < until) {
        // Busy: nothing else may run, which is exactly what the lag measures.
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      const blocked = await collector.collect(Date.now());
      expect(blocked.values['eventloop.lag_ms']).toBeGreaterThan(150);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const free = await collector.collect(Date.now());
      expect(free.values['eventloop.lag_ms']).toBeLessThan(100);
    } finally {
      collector.stop();
    }
  });

  it("reports the conversation's answers per minute and the share it was unsure of, over the interval", async () => {
    const metrics = createMetrics();
    const collector = new MetricsCollector({
      db: fixture.handle.db,
      metrics,
      backlog: async () => 0,
      dataDir: fixture.database.dataDir,
    });
    try {
      metrics.conversationAnswers.inc({ sure: 'no' }, 50);
      await collector.collect(0);
      metrics.conversationAnswers.inc({ sure: 'yes' }, 3);
      metrics.conversationAnswers.inc({ sure: 'no' });
      const sample = await collector.collect(30_000);
      expect(sample.values['conversation.answers_per_minute']).toBe(8);
      expect(sample.values['conversation.unsure_rate']).toBe(0.25);
      const quiet = await collector.collect(60_000);
      expect(quiet.values['conversation.answers_per_minute']).toBe(0);
      expect(quiet.values['conversation.unsure_rate']).toBeUndefined();
    } finally {
      collector.stop();
    }
  });
});

describe('histogram quantiles', () => {
  const buckets = [
    { le: 0.01, count: 50 },
    { le: 0.1, count: 90 },
    { le: 1, count: 100 },
    { le: Number.POSITIVE_INFINITY, count: 100 },
  ];

  it('interpolates inside the bucket that holds the rank', () => {
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.01);
    expect(histogramQuantile(0.7, buckets)).toBeCloseTo(0.055);
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.55);
  });

  it('reports the highest finite bound past it, and nothing for no observations', () => {
    const slow = [...buckets.slice(0, 3), { le: Number.POSITIVE_INFINITY, count: 200 }];
    expect(histogramQuantile(0.99, slow)).toBe(1);
    expect(histogramQuantile(0.5, bucketDelta(buckets, buckets))).toBeUndefined();
    expect(bucketDelta(slow, buckets).map((bucket) => bucket.count)).toEqual([0, 0, 0, 100]);
  });
});
