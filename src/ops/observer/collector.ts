// Reads one sample of every observed metric from Node's own APIs (CPU, memory, event-loop delay,
// free disk), the platform's Prometheus counters (as rates over the interval) and the database.
import { statfs } from 'node:fs/promises';
import { freemem, totalmem } from 'node:os';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { Counter, Histogram } from 'prom-client';
import type { PlatformMetrics } from '../../core/metrics.js';
import type { Database } from '../../db/schema.js';
import { type Bucket, bucketDelta, histogramQuantile } from './histogram-quantile.js';
import type { MetricName, Sample } from './metric-catalog.js';

export interface CollectorSources {
  db: Kysely<Database>;
  metrics: PlatformMetrics;
  /** Updates stored and not yet handled. */
  backlog: () => Promise<number>;
  /** Any path on the volume whose free space matters (DATA_DIR). */
  dataDir: string;
}

interface Reading {
  at: number;
  cpu: NodeJS.CpuUsage;
  received: number;
  handled: number;
  failed: number;
  rateLimited: number;
  latency: Bucket[];
  answered: number;
  unsure: number;
}

const LOOP_RESOLUTION_MS = 10;
const ACTIVE_WINDOW_MS = 5 * 60_000;

export class MetricsCollector {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private previous: Reading | undefined;

  constructor(private readonly sources: CollectorSources) {
    this.loop.enable();
  }

  /** One sample at `at`; rates cover the time since the previous call (the first call has none). */
  async collect(at: number): Promise<Sample> {
    const reading = await this.read(at);
    const values: Partial<Record<MetricName, number>> = {
      ...this.processValues(),
      ...(await this.diskValues()),
      'inbox.backlog': await this.sources.backlog(),
      'users.active': await this.activeUsers(at),
    };
    const previous = this.previous;
    this.previous = reading;
    const elapsedMs = previous ? reading.at - previous.at : 0;
    if (previous && elapsedMs > 0) Object.assign(values, rates(reading, previous, elapsedMs));
    return { at, values };
  }

  stop(): void {
    this.loop.disable();
  }

  private async read(at: number): Promise<Reading> {
    const { metrics } = this.sources;
    return {
      at,
      cpu: process.cpuUsage(),
      received: await total(metrics.updatesReceived),
      handled: await total(metrics.updatesHandled),
      failed: await total(metrics.updatesFailed),
      rateLimited: await total(metrics.rateLimited),
      latency: await buckets(metrics.handlerDuration),
      answered: await total(metrics.conversationAnswers),
      unsure: await labelled(metrics.conversationAnswers, 'sure', 'no'),
    };
  }

  private processValues(): Partial<Record<MetricName, number>> {
    const memory = process.memoryUsage();
    // The histogram counts the timer's own resolution as delay; only what exceeds it is lag. Node does
    // not record the first tick after a reset, so a block starting within 10 ms of a sample goes unseen.
    const lagMs = Math.max(0, this.loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS);
    this.loop.reset();
    const values: Partial<Record<MetricName, number>> = {
      'memory.rss_bytes': memory.rss,
      'memory.heap_used_bytes': memory.heapUsed,
      'memory.system_used_percent': (100 * (totalmem() - freemem())) / totalmem(),
    };
    if (Number.isFinite(lagMs)) values['eventloop.lag_ms'] = lagMs;
    return values;
  }

  private async diskValues(): Promise<Partial<Record<MetricName, number>>> {
    const stats = await statfs(this.sources.dataDir);
    const free = stats.bavail * stats.bsize;
    return { 'disk.free_bytes': free, 'disk.free_percent': (100 * stats.bavail) / stats.blocks };
  }

  private async activeUsers(at: number): Promise<number> {
    const row = await this.sources.db
      .selectFrom('usage_events')
      .select((eb) => eb.fn.count<number>('user_id').distinct().as('count'))
      .where('at', '>', at - ACTIVE_WINDOW_MS)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}

function rates(now: Reading, before: Reading, elapsedMs: number): Partial<Record<MetricName, number>> {
  const perMinute = (delta: number) => (delta * 60_000) / elapsedMs;
  const cpuMicros = now.cpu.user - before.cpu.user + (now.cpu.system - before.cpu.system);
  const handled = now.handled - before.handled;
  const failed = now.failed - before.failed;
  const values: Partial<Record<MetricName, number>> = {
    'cpu.percent': (100 * cpuMicros) / (elapsedMs * 1000),
    'updates.per_minute': perMinute(now.received - before.received),
    'errors.per_minute': perMinute(failed),
    'errors.rate': handled + failed > 0 ? failed / (handled + failed) : 0,
    'telegram.rate_limited_per_minute': perMinute(now.rateLimited - before.rateLimited),
  };
  const answered = now.answered - before.answered;
  values['conversation.answers_per_minute'] = perMinute(answered);
  if (answered > 0) values['conversation.unsure_rate'] = (now.unsure - before.unsure) / answered;
  const latency = bucketDelta(now.latency, before.latency);
  const p50 = histogramQuantile(0.5, latency);
  const p95 = histogramQuantile(0.95, latency);
  if (p50 !== undefined) values['handler.latency_p50_ms'] = p50 * 1000;
  if (p95 !== undefined) values['handler.latency_p95_ms'] = p95 * 1000;
  return values;
}

async function total(counter: Counter<string>): Promise<number> {
  return (await counter.get()).values.reduce((sum, value) => sum + value.value, 0);
}

async function labelled(counter: Counter<string>, label: string, value: string): Promise<number> {
  return (await counter.get()).values
    .filter((entry) => entry.labels[label] === value)
    .reduce((sum, entry) => sum + entry.value, 0);
}

async function buckets(histogram: Histogram<string>): Promise<Bucket[]> {
  const byBound = new Map<number, number>();
  for (const value of (await histogram.get()).values) {
    if (!value.metricName?.endsWith('_bucket')) continue;
    const le = value.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(value.labels.le);
    byBound.set(le, (byBound.get(le) ?? 0) + value.value);
  }
  return [...byBound].map(([le, count]) => ({ le, count }));
}
