// Commands users typed that nothing handles, by how many people tried them, each with the known
// command it is a near miss of (a typo "did you mean" already answers), if any.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { nearest } from '../lib/edit-distance.js';
import { type AnalysisWindow, num, windowStart } from './window.js';

export interface UnknownCommand {
  command: string;
  count: number;
  users: number;
  /** The known command within two edits of it, if there is one. */
  nearCommand: string | null;
}

/** Most users first. */
export async function unknownCommands(
  db: Kysely<Database>,
  window: AnalysisWindow,
  known: readonly string[] = [],
): Promise<UnknownCommand[]> {
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
    .map((row) => {
      const command = row.command as string;
      return { command, count: num(row.count), users: num(row.users), nearCommand: nearest(command, known) ?? null };
    })
    .sort((a, b) => b.users - a.users || b.count - a.count || a.command.localeCompare(b.command));
}
