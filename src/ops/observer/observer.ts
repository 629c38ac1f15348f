// The observer: samples every metric on an interval (setting `observer.intervalSeconds`), stores the
// samples, keeps the recent ones in memory for live views, tells subscribers of each, exports the
// latest as Prometheus gauges, and once a minute rolls raw samples up and applies retention (that on
// the leader only: the rollup covers every instance's samples).
import type { Kysely } from 'kysely';
import { Gauge } from 'prom-client';
import type { Logger } from '../../config/logger.js';
import type { PlatformMetrics } from '../../core/metrics.js';
import type { Database } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import type { IsLeader } from '../../lib/leading.js';
import { type Repetition, repeat } from '../../lib/repeat.js';
import { MetricsCollector } from './collector.js';
import { METRIC_NAMES, type MetricName, OBSERVED_METRICS, prometheusName, type Sample } from './metric-catalog.js';
import { type HourSummary, MetricStore, MINUTE_MS, type Point, type Resolution } from './metric-store.js';

export interface ObserverOptions {
  db: Kysely<Database>;
  metrics: PlatformMetrics;
  settings: SettingsStore;
  backlog: () => Promise<number>;
  dataDir: string;
  log: Logger;
  /** Rollups and purges run only while this says so; absent, always. */
  isLeader?: IsLeader;
  /** This instance, whose samples these are (see metric-store.ts). */
  instance?: string;
  /** The clock samples are stamped with; tests move it by hand. */
  now?: () => number;
}

export type SampleListener = (sample: Sample) => void;

/** An hour of samples at the default 10-second interval. */
const RING_SIZE = 360;

export class Observer {
  private readonly collector: MetricsCollector;
  private readonly store: MetricStore;
  private readonly now: () => number;
  private readonly ring: Sample[] = [];
  private readonly listeners = new Set<SampleListener>();
  private samples: Repetition | undefined;
  private lastMaintenance = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ObserverOptions) {
    this.collector = new MetricsCollector(options);
    this.store = new MetricStore(options.db, options.instance);
    this.now = options.now ?? Date.now;
    this.exportGauges();
  }

  /** Samples now and then every `observer.intervalSeconds` (re-read each time, so changes apply). */
  start(): void {
    this.samples = repeat(() => this.sample(), {
      every: () => this.options.settings.get('observer.intervalSeconds') * 1000,
      onError: (error) => this.options.log.warn({ err: error }, 'observer sample failed'),
    });
  }

  async stop(): Promise<void> {
    await this.samples?.stop();
    this.collector.stop();
  }

  /** Takes, stores and publishes one sample; rolls up and purges when a minute has passed since the last time. */
  async sample(): Promise<Sample> {
    const sample = await this.collector.collect(this.now());
    this.ring.push(sample);
    if (this.ring.length > RING_SIZE) this.ring.shift();
    await this.store.insert(sample);
    for (const listener of this.listeners) {
      try {
        listener(sample);
      } catch (error) {
        this.options.log.warn({ err: error }, 'observer listener failed');
      }
    }
    const leading = this.options.isLeader?.() ?? true;
    if (leading && sample.at - this.lastMaintenance >= MINUTE_MS) await this.maintain();
    return sample;
  }

  /** Rolls whole minutes up and deletes what has outlived `observer.rawRetentionHours` / `observer.rollupRetentionDays`. */
  async maintain(): Promise<void> {
    const now = this.now();
    this.lastMaintenance = now;
    await this.store.rollup(now);
    const { settings } = this.options;
    await this.store.purge(
      now,
      settings.get('observer.rawRetentionHours'),
      settings.get('observer.rollupRetentionDays'),
    );
  }

  /** The newest `n` samples held in memory, oldest first. */
  latest(n = RING_SIZE): Sample[] {
    return n <= 0 ? [] : this.ring.slice(-n);
  }

  /** Calls `listener` with every new sample; returns the function that stops it. */
  subscribe(listener: SampleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stored points of one metric between `from` and `to` (epoch ms), raw or per-minute means. */
  history(name: MetricName, from: number, to: number, resolution: Resolution): Promise<Point[]> {
    return this.store.history(name, from, to, resolution);
  }

  /** Every instance's raw samples of one metric between `from` and `to`, by instance id (the dashboard's per-instance charts). */
  rawByInstance(name: MetricName, from: number, to: number): Promise<Map<string, Point[]>> {
    return this.store.rawByInstance(name, from, to);
  }

  /** Hourly mean and range of one metric's per-minute rollups between `from` and `to`. */
  hourly(name: MetricName, from: number, to: number): Promise<HourSummary[]> {
    return this.store.hourly(name, from, to);
  }

  private exportGauges(): void {
    const observer = this;
    for (const name of METRIC_NAMES) {
      new Gauge({
        name: prometheusName(name),
        help: OBSERVED_METRICS[name].help,
        registers: [this.options.metrics.registry],
        collect() {
          const value = observer.ring.at(-1)?.values[name];
          if (value !== undefined) this.set(value);
        },
      });
    }
  }
}
