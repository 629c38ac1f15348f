// Common command sequences: for each user, which command came right after which. "Users who run
// /a run /b next" becomes a pair with how often and by how many users, and the share of all
// commands that followed /a.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AnalysisWindow, num, windowStart } from './window.js';

export interface CommandSequence {
  from: string;
  to: string;
  count: number;
  users: number;
  /** count / every command run right after `from`, 0–1. */
  share: number;
}

/** Most frequent first; repeats of the same command are not sequences. */
export async function commandSequences(
  db: Kysely<Database>,
  window: AnalysisWindow,
  limit = 20,
): Promise<CommandSequence[]> {
  // LAG over each user's commands in time order: one pass, in the database, on both dialects.
  const { rows } = await sql<{ previous: string; command: string; count: unknown; users: unknown }>`
    select previous, command, count(*) as count, count(distinct user_id) as users
    from (
      select user_id, command, lag(command) over (partition by user_id order by at, id) as previous
      from usage_events
      where command is not null and user_id is not null and outcome <> 'unknown_command'
        and at >= ${windowStart(window)} and at <= ${window.now}
    ) as steps
    where previous is not null and previous <> command
    group by previous, command`.execute(db);
  const after = new Map<string, number>();
  for (const row of rows) after.set(row.previous, (after.get(row.previous) ?? 0) + num(row.count));
  return rows
    .map((row) => {
      const count = num(row.count);
      return {
        from: row.previous,
        to: row.command,
        count,
        users: num(row.users),
        share: count / (after.get(row.previous) ?? count),
      };
    })
    .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to))
    .slice(0, limit);
}
