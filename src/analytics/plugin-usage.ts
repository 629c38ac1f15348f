// Per plugin (and "core"): events handled, distinct users, failures and mean latency.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AnalysisWindow, num, windowStart } from './window.js';

export interface PluginUse {
  plugin: string;
  events: number;
  users: number;
  errors: number;
  /** errors / events, 0–1. */
  errorRate: number;
  avgLatencyMs: number;
}

/** Most events first; events no plugin owned are left out. */
export async function pluginUsage(db: Kysely<Database>, window: AnalysisWindow): Promise<PluginUse[]> {
  const rows = await db
    .selectFrom('usage_events')
    .select((eb) => [
      'plugin',
      eb.fn.countAll().as('events'),
      eb.fn.count('user_id').distinct().as('users'),
      eb.fn.sum<number>(eb.case().when('outcome', '=', 'error').then(1).else(0).end()).as('errors'),
      eb.fn.avg<number>('latency_ms').as('latency'),
    ])
    .where('plugin', 'is not', null)
    .where('at', '>=', windowStart(window))
    .where('at', '<=', window.now)
    .groupBy('plugin')
    .execute();
  return rows
    .map((row) => {
      const events = num(row.events);
      const errors = num(row.errors);
      return {
        plugin: row.plugin as string,
        events,
        users: num(row.users),
        errors,
        errorRate: errors / events,
        avgLatencyMs: num(row.latency),
      };
    })
    .sort((a, b) => b.events - a.events || a.plugin.localeCompare(b.plugin));
}
