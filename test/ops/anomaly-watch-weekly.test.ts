// Live alerting on a metric with a weekly cycle: the observer's stored rollups hold four weeks of
// updates per minute, busy by day and quiet by night, and on Saturdays a third of that. Live samples
// (on a clock moved by hand) are judged against the same hour of earlier weeks, read as hourly
// summaries: a normal Saturday raises nothing, and a Wednesday as quiet as a Saturday raises one
// alert. With only eight days stored, the daily cycle is all there is, and the Saturday is an alert.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { MINUTE, PER_SAMPLE, watchBed } from '../support/watch-bed.js';

const BUSY = 120;
const QUIET = 30;
const SATURDAY_SHARE = 0.3;
const METRIC = 'updates.per_minute';

/** Usual updates per minute at `at`: BUSY from 08:00 to 22:00 UTC, QUIET otherwise, less on Saturdays, a little jitter. */
function usualTraffic(at: number): number {
  const date = new Date(at);
  const hour = date.getUTCHours();
  const weekday = hour >= 8 && hour < 22 ? BUSY : QUIET;
  const jitter = (Math.floor(at / (5 * MINUTE)) % 5) - 2;
  return (date.getUTCDay() === 6 ? SATURDAY_SHARE * weekday : weekday) + jitter;
}

describe.each(DATABASE_KINDS)('weekly live alerting on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);

  /** Stores `storedDays` of rollups before `start`, then samples every 10 s from `start` at the given rates; the traffic alerts sent. */
  async function watchFrom(start: number, storedDays: number, phases: readonly [minutes: number, perMinute: number][]) {
    const bed = await watchBed(fixture.handle.db, fixture.database.dataDir, {
      metric: METRIC,
      usual: usualTraffic,
      start,
      storedDays,
    });
    try {
      for (const [minutes, perMinute] of phases) {
        await bed.run(minutes, () => bed.metrics.updatesReceived.inc({ source: 'webhook' }, perMinute * PER_SAMPLE));
      }
      return bed.alertsAbout(METRIC);
    } finally {
      await bed.stop();
    }
  }

  const saturdayNoon = Date.UTC(2026, 10, 28, 11, 55);
  const wednesdayNoon = Date.UTC(2026, 10, 25, 11, 55);
  const saturdayBusy = SATURDAY_SHARE * BUSY;

  it('raises nothing on a Saturday as quiet as every Saturday', async () => {
    expect(await watchFrom(saturdayNoon, 28, [[30, saturdayBusy]])).toEqual([]);
  });

  it('raises one alert, saying what is usual, for a Wednesday as quiet as a Saturday', async () => {
    const sent = await watchFrom(wednesdayNoon, 28, [
      [20, BUSY],
      [10, saturdayBusy],
    ]);
    expect(sent).toEqual([
      expect.stringMatching(/updates\.per_minute is 36, usually ~120 at this hour \(weekly cycle, /),
    ]);
  });

  it('judges by the daily cycle when the history is too short for a weekly one', async () => {
    const sent = await watchFrom(saturdayNoon, 8, [[30, saturdayBusy]]);
    expect(sent).toEqual([
      expect.stringMatching(/updates\.per_minute is 36, usually ~120 at this hour \(daily cycle, /),
    ]);
  });
});
