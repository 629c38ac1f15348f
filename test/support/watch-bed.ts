// A live anomaly watch over a migrated database whose per-minute rollups of one metric hold a history
// the test describes, sampled on a clock moved by hand: the daily and weekly alerting tests share it.
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { createMetrics, type PlatformMetrics } from '../../src/core/metrics.js';
import type { Database } from '../../src/db/schema.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { chunks } from '../../src/lib/chunks.js';
import { AlertManager } from '../../src/ops/alerts/alert-manager.js';
import { AnomalyWatch } from '../../src/ops/alerts/anomaly-watch.js';
import { Observer } from '../../src/ops/observer/observer.js';

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How often the bed samples. */
const SAMPLE = 10_000;
/** Spacing of the stored history's rollups. */
const HISTORY_STEP = 5 * MINUTE;

export interface StoredHistory {
  readonly metric: string;
  /** The metric's usual value at a moment. */
  readonly usual: (at: number) => number;
  /** When the live samples begin; the history ends there. */
  readonly start: number;
  readonly storedDays: number;
}

export interface WatchBed {
  readonly metrics: PlatformMetrics;
  /** Samples every 10 s for `minutes`, each judged; `beforeSample` moves the metric first. */
  run(minutes: number, beforeSample?: () => void): Promise<void>;
  /** The alerts sent so far that name `metric`. */
  alertsAbout(metric: string): string[];
  stop(): Promise<void>;
}

/** A fresh watch with `history` stored (earlier rollups and alerts cleared); `backlog` feeds inbox.backlog. */
export async function watchBed(
  db: Kysely<Database>,
  dataDir: string,
  history: StoredHistory,
  backlog: () => number = () => 0,
): Promise<WatchBed> {
  await db.deleteFrom('system_metrics').execute();
  await db.deleteFrom('alerts').execute();
  const rows = [];
  for (let at = history.start - history.storedDays * DAY; at < history.start; at += HISTORY_STEP) {
    rows.push({ name: history.metric, value: history.usual(at), resolution: '1m', at });
  }
  for (const chunk of chunks(rows, 200)) await db.insertInto('system_metrics').values(chunk).execute();
  const log = pino({ level: 'silent' });
  let now = history.start;
  const clock = () => now;
  const settings = new SettingsStore(db);
  const metrics = createMetrics();
  const observer = new Observer({ db, metrics, settings, backlog: async () => backlog(), dataDir, log, now: clock });
  const sent: string[] = [];
  const alerts = new AlertManager({ db, settings, log, now: clock, notify: async (text) => void sent.push(text) });
  const watch = new AnomalyWatch({ observer, alerts, settings, log });
  watch.start();
  return {
    metrics,
    async run(minutes, beforeSample) {
      for (let i = 0; i < (minutes * MINUTE) / SAMPLE; i++) {
        now += SAMPLE;
        beforeSample?.();
        await observer.sample();
        await watch.idle();
      }
    },
    alertsAbout: (metric) => sent.filter((text) => text.includes(metric)),
    async stop() {
      await watch.stop();
      await observer.stop();
    },
  };
}

/** Per-sample share of a per-minute rate. */
export const PER_SAMPLE = SAMPLE / MINUTE;
