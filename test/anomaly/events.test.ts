// Anomalies are reported as events, not runs of points: an hours-long level shift on a daily-cycle
// metric is one event from its start, a lone spike or dip is one short event, a slow ramp is a
// drift; an incident in earlier cycles is not taken for what is usual; nothing is judged before two
// cycles are known; and flags close together are one event.
import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/ops/anomaly/anomaly.js';
import { detectEvents } from '../../src/ops/anomaly/detectors.js';
import { toEvents } from '../../src/ops/anomaly/events.js';
import { seasonalResidual } from '../../src/ops/anomaly/seasonal-baseline.js';
import { dayShape } from '../support/realistic-series.js';
import { gaussian, random } from '../support/seeded-random.js';

const STEP = 5 * 60_000;
const DAY = 288;
const START = Date.UTC(2026, 9, 5);

/** Six days of an evening-peak metric (σ 2) every 5 minutes, with `offset(t)` added at point t. */
function daily(offset: (t: number) => number = () => 0): Point[] {
  const next = random(9);
  return Array.from({ length: 6 * DAY }, (_, t) => ({
    at: START + t * STEP,
    value: 40 + 120 * dayShape(((t % DAY) * 24) / DAY) + offset(t) + 2 * gaussian(next),
  }));
}

const at = (t: number) => START + t * STEP;

describe('anomalous events', () => {
  it('reports an hours-long level shift on a daily cycle once, as a level shift from its start', () => {
    const shifted = daily((t) => (t >= 4 * DAY + 100 && t < 4 * DAY + 160 ? 20 : 0));
    const { season, events } = detectEvents(shifted);
    expect(season).toBe('daily');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ start: at(4 * DAY + 100), kind: 'level-shift', direction: 'high' });
    expect(events[0]?.end).toBeGreaterThanOrEqual(at(4 * DAY + 150));
    expect(events[0]?.detector).toBe('seasonal');
  });

  it('reports a lone spike and a lone dip as short events of their kind', () => {
    const { events } = detectEvents(daily((t) => (t === 3 * DAY + 50 ? 25 : t === 5 * DAY + 200 ? -25 : 0)));
    expect(events.map((event) => [event.start, event.end, event.kind])).toEqual([
      [at(3 * DAY + 50), at(3 * DAY + 50), 'spike'],
      [at(5 * DAY + 200), at(5 * DAY + 200), 'dip'],
    ]);
  });

  it('reports a slow ramp as a drift', () => {
    const ramp = (t: number) => (t >= 4 * DAY && t < 4 * DAY + 120 ? ((t - 4 * DAY) / 120) * 40 : 0);
    const { events } = detectEvents(daily(ramp));
    expect(events.map((event) => event.kind)).toEqual(['drift']);
    expect(events[0]?.start).toBeGreaterThan(at(4 * DAY));
  });

  it('takes no incident of an earlier cycle for what is usual, so a normal value after two is no dip', () => {
    // The same hour held a level shift two days before and a spike the day before: the median of the
    // last three days there is an incident, and today's normal value would be far below it.
    const hour = 130;
    const { events } = detectEvents(
      daily((t) => (t >= 2 * DAY + 100 && t < 2 * DAY + 160 ? 20 : t === 3 * DAY + hour ? 40 : 0)),
    );
    expect(events.filter((event) => event.start >= at(3 * DAY + hour + 1))).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ start: at(3 * DAY + hour), kind: 'spike' }));
  });

  it('judges nothing before two cycles are known', () => {
    const early = daily((t) => (t === DAY + 50 || t === 3 * DAY + 70 ? 40 : 0));
    expect(seasonalResidual(early).map((anomaly) => anomaly.index)).toEqual([3 * DAY + 70]);
  });

  it('joins flags a few points apart into one event, and keeps those further apart separate', () => {
    const points = Array.from({ length: 40 }, (_, t) => ({ at: at(t), value: t }));
    const flag = (index: number, score: number) => ({ index, score, direction: 'high' as const, detector: 'mad' });
    const events = toEvents(points, [flag(5, 8), flag(8, 9), flag(12, 7), flag(30, 6)]);
    expect(events.map((event) => [event.first, event.last, event.kind, event.severity])).toEqual([
      [5, 12, 'level-shift', 9],
      [30, 30, 'spike', 6],
    ]);
  });
});
