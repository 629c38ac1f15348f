// Commands users typed that nothing handles, by how many people tried them.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AnalysisWindow, num, windowStart } from './window.js';

export interface UnknownCommand {
  command: string;
  count: number;
  users: number;
}

/** Most users first. */
export async function unknownCommands(db: Kysely<Database>, window: AnalysisWindow): Promise<UnknownCommand[]> {
  const rows = await db
    .selectFrom('usage_events')
    .select((eb) => ['command', eb.fn.countAll().as('count'), eb.fn.count('user_id').distinct().as('users')])
    .where('outcome', '=', 'unknown_command')
    .where('command', 'is not', null)
    .where('at', '>=', windowStart(window))
    .where('at', '<=', window.now)
    .groupBy('command')
    .execute();
  return rows
    .map((row) => ({ command: row.command as string, count: num(row.count), users: num(row.users) }))
    .sort((a, b) => b.users - a.users || b.count - a.count || a.command.localeCompare(b.command));
}
