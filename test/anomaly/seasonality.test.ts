// The season is found from the data: the sampling interval from the timestamps, a daily cycle, a
// weekly one (weekend dips), and none for noise — even noise with a level shift or a trend, which
// correlates with itself at every lag. Gaps and repeated timestamps do not change the answer.
import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/ops/anomaly/anomaly.js';
import { toGrid } from '../../src/ops/anomaly/regular-grid.js';
import { detectSeason, type SeasonName } from '../../src/ops/anomaly/seasonality.js';
import { dayShape } from '../support/realistic-series.js';
import { gaussian, random } from '../support/seeded-random.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 9, 5); // a Monday

/** `days` of samples every `stepMs`, each value from its hour of the week, plus noise of σ `sd`. */
function series(days: number, stepMs: number, shape: (hourOfWeek: number) => number, sd = 1): Point[] {
  const next = random(42);
  return Array.from({ length: (days * 24 * HOUR) / stepMs }, (_, i) => {
    const at = START + i * stepMs;
    return { at, value: shape(((at - START) / HOUR) % 168) + sd * gaussian(next) };
  });
}

const season = (points: Point[]): SeasonName => {
  const grid = toGrid(points);
  return grid ? detectSeason(grid).name : 'none';
};
const evenings = (hour: number) => 50 + 100 * dayShape(hour % 24);
const quietWeekends = (hour: number) => 20 + (hour >= 120 ? 30 : 100) * dayShape(hour % 24);

describe('season detection', () => {
  it('finds a daily cycle at any sampling interval, from the timestamps', () => {
    expect(season(series(7, 5 * 60_000, evenings, 5))).toBe('daily');
    expect(season(series(7, HOUR, evenings, 5))).toBe('daily');
    expect(season(series(7, 60_000, evenings, 0))).toBe('daily');
  });

  it('finds a weekly cycle when weekends are quieter, given three weeks', () => {
    expect(season(series(21, 10 * 60_000, quietWeekends, 2))).toBe('weekly');
    // Two weeks are too few to trust a weekly cycle: the daily one is what can be learnt.
    expect(season(series(14, 10 * 60_000, quietWeekends, 2))).toBe('daily');
  });

  it('finds none in noise, in noise with a level shift or a trend, or in fewer than three cycles', () => {
    expect(season(series(7, 5 * 60_000, () => 10))).toBe('none');
    expect(season(series(7, 5 * 60_000, (hour) => (hour > 60 ? 30 : 10)))).toBe('none');
    expect(season(series(7, 5 * 60_000, (hour) => 10 + hour / 2))).toBe('none');
    expect(season(series(2, 5 * 60_000, evenings, 5))).toBe('none');
  });

  it('is not thrown by missing points and repeated timestamps', () => {
    const points = series(7, 5 * 60_000, evenings, 5);
    const ragged = points.flatMap((point, i) => (i % 17 === 0 ? [] : i % 23 === 0 ? [point, point] : [point]));
    expect(toGrid(ragged)?.step).toBe(5 * 60_000);
    expect(season(ragged)).toBe('daily');
  });
});
