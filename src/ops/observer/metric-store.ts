// The `system_metrics` table: raw samples (each instance's own), their per-minute rollups (the mean of
// each minute per instance, the instances combined as the catalog says), the retention of both, and
// hourly summaries of the rollups computed on read (for the weekly season).
// Rolling up is idempotent, so a restart or a second pass never doubles a minute.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { chunks } from '../../lib/chunks.js';
import { type Across, type MetricName, OBSERVED_METRICS, type Sample } from './metric-catalog.js';

export type Resolution = 'raw' | '1m';

export interface Point {
  readonly at: number;
  readonly value: number;
}

/** One hour of per-minute rollups: their mean, stamped at the middle of the hour, and their range. */
export interface HourSummary extends Point {
  readonly low: number;
  readonly high: number;
}

export const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const ROWS_PER_INSERT = 200;

export class MetricStore {
  /** Known once a rollup ran in this process; saves looking it up again. */
  private rolledUntil: number | undefined;

  /** `instance`: who takes the raw samples stored here, and whose raw history is read back. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly instance = '',
  ) {}

  async insert(sample: Sample): Promise<void> {
    const rows = Object.entries(sample.values).map(([name, value]) => ({
      name,
      value,
      resolution: 'raw',
      at: Math.floor(sample.at),
      instance: this.instance,
    }));
    for (const chunk of chunks(rows, ROWS_PER_INSERT))
      await this.db.insertInto('system_metrics').values(chunk).execute();
  }

  /**
   * Writes the mean of every whole minute of raw samples not rolled up yet, up to (not including) the
   * minute that holds `now`, replacing rollups already written for those minutes. Returns the minutes written.
   */
  async rollup(now: number): Promise<number> {
    const end = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    const start = await this.lastRollupEnd();
    if (start === undefined || start >= end) return 0;
    const written = await this.db.transaction().execute(async (trx) => {
      const minute = sql<number>`(${sql.ref('at')} / ${sql.lit(MINUTE_MS)}) * ${sql.lit(MINUTE_MS)}`;
      const means = await trx
        .selectFrom('system_metrics')
        .select(['name', 'instance', minute.as('minute'), (eb) => eb.fn.avg<number>('value').as('mean')])
        .where('resolution', '=', 'raw')
        .where('at', '>=', start)
        .where('at', '<', end)
        .groupBy(['name', 'instance', minute])
        .execute();
      await trx
        .deleteFrom('system_metrics')
        .where('resolution', '=', '1m')
        .where('at', '>=', start)
        .where('at', '<', end)
        .execute();
      const rows = combineInstances(
        means.map((row) => ({ ...row, minute: Number(row.minute), mean: Number(row.mean) })),
      );
      for (const chunk of chunks(rows, ROWS_PER_INSERT)) await trx.insertInto('system_metrics').values(chunk).execute();
      return new Set(rows.map((row) => row.at)).size;
    });
    this.rolledUntil = end;
    return written;
  }

  /** Deletes raw samples older than `rawHours` and rollups older than `rollupDays`. */
  async purge(now: number, rawHours: number, rollupDays: number): Promise<void> {
    await this.db
      .deleteFrom('system_metrics')
      .where('resolution', '=', 'raw')
      .where('at', '<', now - rawHours * HOUR_MS)
      .execute();
    await this.db
      .deleteFrom('system_metrics')
      .where('resolution', '=', '1m')
      .where('at', '<', now - rollupDays * DAY_MS)
      .execute();
  }

  /**
   * The stored points of one metric in [from, to], oldest first: raw, this instance's samples; per
   * minute, the whole deployment's.
   */
  async history(name: string, from: number, to: number, resolution: Resolution): Promise<Point[]> {
    const rows = await this.db
      .selectFrom('system_metrics')
      .select(['at', 'value'])
      .where('name', '=', name)
      .where('resolution', '=', resolution)
      .$if(resolution === 'raw', (query) => query.where('instance', '=', this.instance))
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at')
      .execute();
    return rows.map((row) => ({ at: Number(row.at), value: Number(row.value) }));
  }

  /**
   * Every instance's raw samples of one metric in [from, to], oldest first, by instance id. Samples
   * stored before instances had ids (instance '') are left out: no one can say whose they were.
   */
  async rawByInstance(name: string, from: number, to: number): Promise<Map<string, Point[]>> {
    const rows = await this.db
      .selectFrom('system_metrics')
      .select(['instance', 'at', 'value'])
      .where('name', '=', name)
      .where('resolution', '=', 'raw')
      .where('instance', '<>', '')
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at')
      .execute();
    const byInstance = new Map<string, Point[]>();
    for (const row of rows) {
      const points = byInstance.get(row.instance) ?? [];
      points.push({ at: Number(row.at), value: Number(row.value) });
      byInstance.set(row.instance, points);
    }
    return byInstance;
  }

  /**
   * One summary per hour of the metric's per-minute rollups in [from, to], oldest first, grouped by
   * the database: weeks of minutes arrive as a few hundred rows.
   */
  async hourly(name: string, from: number, to: number): Promise<HourSummary[]> {
    const hour = sql<number>`(${sql.ref('at')} / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}`;
    const rows = await this.db
      .selectFrom('system_metrics')
      .select([
        hour.as('hour'),
        (eb) => eb.fn.avg<number>('value').as('mean'),
        (eb) => eb.fn.min<number>('value').as('low'),
        (eb) => eb.fn.max<number>('value').as('high'),
      ])
      .where('name', '=', name)
      .where('resolution', '=', '1m')
      .where('at', '>=', from)
      .where('at', '<=', to)
      .groupBy(hour)
      .orderBy(hour)
      .execute();
    return rows.map((row) => ({
      at: Number(row.hour) + HOUR_MS / 2,
      value: Number(row.mean),
      low: Number(row.low),
      high: Number(row.high),
    }));
  }

  /** Where rolling up resumes: after the newest rollup, or at the oldest raw sample's minute. */
  private async lastRollupEnd(): Promise<number | undefined> {
    if (this.rolledUntil !== undefined) return this.rolledUntil;
    const edge = (resolution: Resolution, direction: 'asc' | 'desc') =>
      this.db
        .selectFrom('system_metrics')
        .select('at')
        .where('resolution', '=', resolution)
        .orderBy('at', direction)
        .limit(1)
        .executeTakeFirst();
    const rolled = await edge('1m', 'desc');
    if (rolled) return Number(rolled.at) + MINUTE_MS;
    const raw = await edge('raw', 'asc');
    return raw ? Math.floor(Number(raw.at) / MINUTE_MS) * MINUTE_MS : undefined;
  }
}

interface InstanceMinute {
  readonly name: string;
  readonly instance: string;
  readonly minute: number;
  readonly mean: number;
}

/** One rollup row per metric and minute: the instances' means of that minute, combined as the catalog says. */
function combineInstances(means: readonly InstanceMinute[]) {
  const groups = new Map<string, InstanceMinute[]>();
  for (const row of means) {
    const key = `${row.name}\u0000${row.minute}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()].map((group) => {
    const { name, minute } = group[0] as InstanceMinute;
    const values = group.map((row) => row.mean);
    const across: Across = name in OBSERVED_METRICS ? OBSERVED_METRICS[name as MetricName].across : 'mean';
    return { name, value: combine(values, across), resolution: '1m', at: minute };
  });
}

function combine(values: readonly number[], across: Across): number {
  switch (across) {
    case 'sum':
      return values.reduce((sum, value) => sum + value, 0);
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'mean':
      return values.reduce((sum, value) => sum + value, 0) / values.length;
  }
}
