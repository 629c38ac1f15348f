// Live alerting on a metric with a daily cycle: the observer's stored rollups hold eight days of an
// inbox backlog that peaks every evening, and live samples (on a clock moved by hand) are judged
// against the same hour of those days. An evening peak like every evening's raises nothing; the same
// value at night, or twice the usual peak, raises one alert saying what is usual; with no stored
// history the short-window detectors judge the same evening jump as before.
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
  const log = pino({ level: 'silent' });

  /** A fresh observer and watch whose clock starts at `start`, with `storedDays` of rollups before it. */
  async function bed(start: number, storedDays: number) {
    const { db } = fixture.handle;
    await db.deleteFrom('system_metrics').execute();
    await db.deleteFrom('alerts').execute();
    const rows = [];
    for (let at = start - storedDays * DAY; at < start; at += 5 * MINUTE) {
      rows.push({ name: 'inbox.backlog', value: usualBacklog(at), resolution: '1m', at });
    }
    for (const chunk of chunks(rows, 200)) await db.insertInto('system_metrics').values(chunk).execute();
    let now = start;
    let backlog = QUIET;
    const settings = new SettingsStore(db);
    const clock = () => now;
    const observer = new Observer({
      db,
      metrics: createMetrics(),
      settings,
      backlog: async () => backlog,
      dataDir: fixture.database.dataDir,
      log,
      now: clock,
    });
    const sent: string[] = [];
    const alerts = new AlertManager({ db, settings, log, now: clock, notify: async (text) => void sent.push(text) });
    const watch = new AnomalyWatch({ observer, alerts, settings, log });
    watch.start();
    return {
      /** Samples every 10 s for `minutes` with the backlog at `value`, each judged. */
      async run(minutes: number, value: number) {
        backlog = value;
        for (let i = 0; i < (minutes * MINUTE) / SAMPLE; i++) {
          now += SAMPLE;
          await observer.sample();
          await watch.idle();
        }
      },
      backlogAlerts: () => sent.filter((text) => text.includes('inbox.backlog')),
      stop: async () => {
        await watch.stop();
        await observer.stop();
      },
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
