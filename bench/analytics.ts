// The analytics section of `npm run bench`: generates BENCH_ANALYTICS_EVENTS (1,000,000) usage
// events over 60 days into a fresh SQLite database and a PostgreSQL schema, then times each
// analysis over the last 30 days, and the whole report, on each (median of 3 runs).
import type { Kysely } from 'kysely';
import { activeUsers } from '../src/analytics/active-users.js';
import { activityHeatmap } from '../src/analytics/activity-heatmap.js';
import { commandUsage } from '../src/analytics/commands.js';
import { failingCommands } from '../src/analytics/failing-commands.js';
import { pluginUsage } from '../src/analytics/plugin-usage.js';
import { usageReport } from '../src/analytics/report.js';
import { retentionCohorts } from '../src/analytics/retention.js';
import { userSegments } from '../src/analytics/segments.js';
import { commandSequences } from '../src/analytics/sequences.js';
import { unknownCommands } from '../src/analytics/unknown-commands.js';
import { DAY_MS } from '../src/analytics/window.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database, NewUsageEvent } from '../src/db/schema.js';
import { chunks } from '../src/lib/chunks.js';
import { createTestDatabase } from '../test/support/databases.js';

export const ANALYTICS_SECTIONS = ['analytics-sqlite', 'analytics-postgres'] as const;
export type AnalyticsSection = (typeof ANALYTICS_SECTIONS)[number];

export const EVENTS = Number(process.env.BENCH_ANALYTICS_EVENTS) || 1_000_000;
const USERS = 20_000;
const SPAN_DAYS = 60;
const NOW = Date.UTC(2026, 10, 25, 12);
const RUNS = 3;
/** Commands with their owner, most popular first (chosen with Zipf-like weights). */
const COMMANDS = [
  ['start', 'core'],
  ['help', 'core'],
  ['weather', 'weather'],
  ['note', 'notes'],
  ['notes', 'notes'],
  ['search', 'travel'],
  ['book', 'travel'],
  ['pay', 'shop'],
  ['cart', 'shop'],
  ['quiz', 'games'],
  ['settings', 'core'],
  ['cancel', 'core'],
] as const;
const UNKNOWN = ['price', 'menu', 'buy', 'admin'];

const ANALYSES: [string, (db: Kysely<Database>) => Promise<unknown>][] = [
  ['active users (DAU/WAU/MAU + daily)', (db) => activeUsers(db, { now: NOW, days: 30 })],
  ['retention cohorts (8 weeks)', (db) => retentionCohorts(db, { now: NOW, weeks: 8 })],
  ['command frequency + trend', (db) => commandUsage(db, { now: NOW, days: 30 })],
  ['unknown commands', (db) => unknownCommands(db, { now: NOW, days: 30 })],
  ['failing commands', (db) => failingCommands(db, { now: NOW, days: 30 })],
  ['command sequences', (db) => commandSequences(db, { now: NOW, days: 30 })],
  ['hour × weekday activity', (db) => activityHeatmap(db, { now: NOW, days: 30 })],
  ['per-plugin usage', (db) => pluginUsage(db, { now: NOW, days: 30 })],
  ['segments + engagement', (db) => userSegments(db, { now: NOW, days: 30 })],
  ['whole report', (db) => usageReport(db, NOW)],
];

export async function runAnalyticsBench(section: AnalyticsSection, log: (line: string) => void): Promise<void> {
  const kind = section === 'analytics-sqlite' ? 'sqlite' : 'postgres';
  const database = await createTestDatabase(kind);
  const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
  try {
    await migrateToLatest(handle);
    let started = performance.now();
    await fill(handle.db);
    log(`  generated ${EVENTS.toLocaleString('en')} events of ${USERS} users in ${seconds(started)}`);
    for (const [name, analysis] of ANALYSES) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        started = performance.now();
        await analysis(handle.db);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      log(`  ${name.padEnd(38)} ${(times[1] as number).toFixed(0).padStart(6)} ms`);
    }
  } finally {
    await handle.close();
    await database.dispose();
  }
}

/** Deterministic events: users with a skewed activity, a daily rhythm, command popularity that
 *  falls off, some users following /search with /book, 3% unknown commands and 2% failures. */
export async function fill(db: Kysely<Database>): Promise<void> {
  const random = mulberry32(42);
  const lastCommand = new Map<number, string>();
  const batch: NewUsageEvent[] = [];
  const flush = async () => {
    await db.transaction().execute(async (trx) => {
      for (const group of chunks(batch, 1000)) await trx.insertInto('usage_events').values(group).execute();
    });
    batch.length = 0;
  };
  for (let i = 0; i < EVENTS; i++) {
    const user = 1 + Math.floor(USERS * random() ** 2);
    const day = Math.floor((i / EVENTS) * SPAN_DAYS);
    const hour = Math.floor(24 * (0.5 + 0.5 * Math.sin(random() * Math.PI * 2)) ** 0.5) % 24;
    const at = NOW - (SPAN_DAYS - day) * DAY_MS + hour * 3_600_000 + Math.floor(random() * 3_600_000);
    const roll = random();
    let command: string | null = null;
    let plugin: string | null = null;
    let outcome = 'ok';
    if (roll < 0.03) {
      command = UNKNOWN[Math.floor(random() * UNKNOWN.length)] as string;
      outcome = 'unknown_command';
    } else if (roll < 0.7) {
      const [name, owner] =
        lastCommand.get(user) === 'search' && random() < 0.7
          ? (['book', 'travel'] as const)
          : (COMMANDS[Math.floor(COMMANDS.length * random() ** 1.6)] as (typeof COMMANDS)[number]);
      command = name;
      plugin = owner;
      outcome = random() < (owner === 'shop' ? 0.15 : 0.01) ? 'error' : 'ok';
      lastCommand.set(user, name);
    }
    batch.push({
      at: Math.min(at, NOW),
      user_id: user,
      chat_id: user,
      kind: command ? 'message' : roll < 0.85 ? 'message' : 'callback_query',
      command,
      plugin,
      latency_ms: 2 + random() * 40,
      outcome,
    });
    if (batch.length === 20_000) await flush();
  }
  if (batch.length > 0) await flush();
}

export function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
