// Live alerting on a metric with a daily cycle: the observer's stored rollups hold eight days of an
// inbox backlog that peaks every evening, and live samples (on a clock moved by hand) are judged
// against the same hour of those days. An evening peak like every evening's raises nothing; the same
// value at night, or twice the usual peak, raises one alert saying what is usual; with no stored
// history the short-window detectors judge the same evening jump as before.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { MINUTE, watchBed } from '../support/watch-bed.js';

const QUIET = 20;
const PEAK = 400;

/** The usual backlog at `at`: PEAK from 18:00 to 22:00 UTC, QUIET otherwise, with a little jitter. */
function usualBacklog(at: number): number {
  const hour = new Date(at).getUTCHours();
  const jitter = (Math.floor(at / (5 * MINUTE)) % 5) - 2;
  return (hour >= 18 && hour < 22 ? PEAK : QUIET) + jitter;
}

describe.each(DATABASE_KINDS)('seasonal live alerting on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);

  /** A fresh observer and watch whose clock starts at `start`, with `storedDays` of rollups before it. */
  async function bed(start: number, storedDays: number) {
    let backlog = QUIET;
    const watched = await watchBed(
      fixture.handle.db,
      fixture.database.dataDir,
      { metric: 'inbox.backlog', usual: usualBacklog, start, storedDays },
      () => backlog,
    );
    return {
      /** Samples every 10 s for `minutes` with the backlog at `value`, each judged. */
      async run(minutes: number, value: number) {
        backlog = value;
        await watched.run(minutes);
      },
      backlogAlerts: () => watched.alertsAbout('inbox.backlog'),
      stop: () => watched.stop(),
    };
  }

  /** 20 quiet minutes from `start`, then `value` for 10 minutes from `start` + 20 min; the alerts sent. */
  async function jump(start: number, storedDays: number, value: number): Promise<string[]> {
    const watched = await bed(start, storedDays);
    try {
      await watched.run(20, QUIET);
      await watched.run(10, value);
      return watched.backlogAlerts();
    } finally {
      await watched.stop();
    }
  }

  const evening = Date.UTC(2026, 10, 25, 17, 55);
  const night = Date.UTC(2026, 10, 25, 2, 55);

  it('raises nothing for an evening peak as high as every evening', async () => {
    expect(await jump(evening, 8, PEAK)).toEqual([]);
  });

  it('raises one alert, saying what is usual, for the evening value at a quiet hour', async () => {
    const sent = await jump(night, 8, PEAK);
    expect(sent).toEqual([expect.stringMatching(/inbox\.backlog is 400, usually ~20 at this hour \(daily cycle, /)]);
  });

  it('raises one alert for an evening peak twice the usual', async () => {
    const sent = await jump(evening, 8, 2 * PEAK);
    expect(sent).toEqual([expect.stringMatching(/inbox\.backlog is 800, usually ~400 at this hour \(daily cycle, /)]);
  });

  it('judges by the live window, as before, when the stored history is too short for a season', async () => {
    const sent = await jump(evening, 2, PEAK);
    expect(sent).toEqual([expect.stringMatching(/inbox\.backlog is 400, out of its usual range \(/)]);
  });
});
