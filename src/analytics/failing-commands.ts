// Commands whose handler threw, with their error rate.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AnalysisWindow, num, windowStart } from './window.js';

export interface FailingCommand {
  command: string;
  plugin: string | null;
  count: number;
  errors: number;
  /** errors / count, 0–1. */
  errorRate: number;
}

/** Only commands that failed at least once; highest error count first. */
export async function failingCommands(db: Kysely<Database>, window: AnalysisWindow): Promise<FailingCommand[]> {
  const rows = await db
    .selectFrom('usage_events')
    .select((eb) => [
      'command',
      eb.fn.max('plugin').as('plugin'),
      eb.fn.countAll().as('count'),
      eb.fn.sum<number>(eb.case().when('outcome', '=', 'error').then(1).else(0).end()).as('errors'),
    ])
    .where('command', 'is not', null)
    .where('outcome', '!=', 'unknown_command')
    .where('at', '>=', windowStart(window))
    .where('at', '<=', window.now)
    .groupBy('command')
    .execute();
  return rows
    .map((row) => {
      const count = num(row.count);
      const errors = num(row.errors);
      return { command: row.command as string, plugin: row.plugin, count, errors, errorRate: errors / count };
    })
    .filter((row) => row.errors > 0)
    .sort((a, b) => b.errors - a.errors || a.command.localeCompare(b.command));
}
