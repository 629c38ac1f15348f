// Trend fitting and forecasting, and the detectors' edge cases: a flat series, a series that is
// mostly one value, too few points.
import { describe, expect, it } from 'vitest';
import { ewmaChart } from '../../src/ops/anomaly/ewma-chart.js';
import { madZScore } from '../../src/ops/anomaly/mad-zscore.js';
import { fitLine, forecastReach, trendDrift } from '../../src/ops/anomaly/trend.js';

const HOUR = 3_600_000;

describe('trend', () => {
  it('forecasts when free disk reaches zero from a noisy decline', () => {
    // 2 GB lost per day from 6 GB, sampled hourly for a day, with ±20 MB of wobble.
    const times = Array.from({ length: 25 }, (_, i) => i * HOUR);
    const values = times.map((t, i) => 6e9 - (2e9 * t) / (24 * HOUR) + (i % 2 === 0 ? 2e7 : -2e7));
    const forecast = forecastReach(times, values, 0);
    const daysLeft = ((forecast?.at ?? 0) - (times.at(-1) as number)) / (24 * HOUR);
    expect(daysLeft).toBeGreaterThan(1.95);
    expect(daysLeft).toBeLessThan(2.05);
    expect(forecast?.line.r2).toBeGreaterThan(0.99);
  });

  it('gives no date when the series moves away from the limit or is flat', () => {
    const times = [0, 1, 2, 3];
    expect(forecastReach(times, [5, 6, 7, 8], 0)?.at).toBeUndefined();
    expect(forecastReach(times, [5, 5, 5, 5], 0)?.at).toBeUndefined();
    expect(forecastReach([0], [5], 0)).toBeUndefined();
    expect(fitLine([1, 1], [2, 3])).toBeUndefined();
  });

  it('flags a ramp and not a flat series', () => {
    const flat = Array.from({ length: 200 }, (_, i) => 10 + (i % 3) * 0.1);
    expect(trendDrift(flat)).toEqual([]);
    const ramp = flat.map((value, i) => (i >= 100 ? value + (i - 100) * 0.05 : value));
    const found = trendDrift(ramp);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((anomaly) => anomaly.index > 100 && anomaly.direction === 'high')).toBe(true);
  });
});

describe('detectors on degenerate series', () => {
  it('score a change from a constant series as finite and large, and a constant series not at all', () => {
    const constant = Array<number>(60).fill(0);
    expect(madZScore(constant)).toEqual([]);
    expect(ewmaChart(constant)).toEqual([]);
    const blip = [...constant, 1];
    for (const found of [madZScore(blip), ewmaChart(blip)]) {
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ index: 60, direction: 'high' });
      expect(Number.isFinite(found[0]?.score)).toBe(true);
    }
  });

  it('judge nothing before the warm-up', () => {
    expect(madZScore([1, 100, 1])).toEqual([]);
    expect(ewmaChart([1, 100, 1])).toEqual([]);
    expect(trendDrift([1, 2, 3])).toEqual([]);
  });
});
