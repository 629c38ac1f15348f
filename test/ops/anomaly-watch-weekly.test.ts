// Live alerting on a metric with a weekly cycle: the observer's stored rollups hold four weeks of
// updates per minute, busy by day and quiet by night, and on Saturdays a third of that. Live samples
// (on a clock moved by hand) are judged against the same hour of earlier weeks, read as hourly
// summaries: a normal Saturday raises nothing, and a Wednesday as quiet as a Saturday raises one
// alert. With only eight days stored, the daily cycle is all there is, and the Saturday is an alert.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/core/metrics.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { chunks } from '../../src/lib/chunks.js';
import { AlertManager } from '../../src/ops/alerts/alert-manager.js';
import { AnomalyWatch } from '../../src/ops/alerts/anomaly-watch.js';
import { Observer } from '../../src/ops/observer/observer.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SAMPLE = 10_000;
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
  const log = pino({ level: 'silent' });

  /** Stores `storedDays` of rollups before `start`, then samples every 10 s from `start` at the given rates; the traffic alerts sent. */
  async function watchFrom(start: number, storedDays: number, phases: readonly [minutes: number, perMinute: number][]) {
    const { db } = fixture.handle;
    await db.deleteFrom('system_metrics').execute();
    await db.deleteFrom('alerts').execute();
    const rows = [];
    for (let at = start - storedDays * DAY; at < start; at += 5 * MINUTE) {
      rows.push({ name: METRIC, value: usualTraffic(at), resolution: '1m', at });
    }
    for (const chunk of chunks(rows, 200)) await db.insertInto('system_metrics').values(chunk).execute();
    let now = start;
    const settings = new SettingsStore(db);
    const clock = () => now;
    const metrics = createMetrics();
    const observer = new Observer({
      db,
      metrics,
      settings,
      backlog: async () => 0,
      dataDir: fixture.database.dataDir,
      log,
      now: clock,
    });
    const sent: string[] = [];
    const alerts = new AlertManager({ db, settings, log, now: clock, notify: async (text) => void sent.push(text) });
    const watch = new AnomalyWatch({ observer, alerts, settings, log });
    watch.start();
    try {
      for (const [minutes, perMinute] of phases) {
        for (let i = 0; i < (minutes * MINUTE) / SAMPLE; i++) {
          now += SAMPLE;
          metrics.updatesReceived.inc({ source: 'webhook' }, (perMinute * SAMPLE) / MINUTE);
          await observer.sample();
          await watch.idle();
        }
      }
      return sent.filter((text) => text.includes(METRIC));
    } finally {
      await watch.stop();
      await observer.stop();
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
