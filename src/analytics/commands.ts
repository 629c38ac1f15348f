// How often each handled command ran in the window and in the window before it, for the trend;
// commands the bot knows but nobody ran are listed with zero uses.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AnalysisWindow, DAY_MS, num, windowStart } from './window.js';

export interface CommandUse {
  command: string;
  /** "core" or the plugin owning the command; null for events recorded before owners were. */
  plugin: string | null;
  count: number;
  users: number;
  /** Uses in the window of the same length just before. */
  previousCount: number;
  /** (count − previous) / previous; null when there were none before. */
  trend: number | null;
}

export interface KnownCommand {
  command: string;
  source: string;
}

/** Most used first; `known` adds the bot's current commands that were never run. */
export async function commandUsage(
  db: Kysely<Database>,
  window: AnalysisWindow,
  known: readonly KnownCommand[] = [],
): Promise<CommandUse[]> {
  const from = windowStart(window);
  const previousFrom = from - window.days * DAY_MS;
  const rows = await db
    .selectFrom('usage_events')
    .select((eb) => [
      'command',
      eb.fn.max('plugin').as('plugin'),
      eb.fn.sum<number>(eb.case().when('at', '>=', from).then(1).else(0).end()).as('count'),
      eb.fn
        .count(eb.case().when('at', '>=', from).then(eb.ref('user_id')).end())
        .distinct()
        .as('users'),
      eb.fn.sum<number>(eb.case().when('at', '<', from).then(1).else(0).end()).as('previous'),
    ])
    .where('command', 'is not', null)
    .where('outcome', '!=', 'unknown_command')
    .where('at', '>=', previousFrom)
    .where('at', '<=', window.now)
    .groupBy('command')
    .execute();
  const uses: CommandUse[] = rows.map((row) => {
    const count = num(row.count);
    const previousCount = num(row.previous);
    return {
      command: row.command as string,
      plugin: row.plugin,
      count,
      users: num(row.users),
      previousCount,
      trend: previousCount === 0 ? null : (count - previousCount) / previousCount,
    };
  });
  const seen = new Set(uses.map((use) => use.command));
  for (const { command, source } of known) {
    if (!seen.has(command)) uses.push({ command, plugin: source, count: 0, users: 0, previousCount: 0, trend: null });
  }
  return uses.sort((a, b) => b.count - a.count || a.command.localeCompare(b.command));
}
