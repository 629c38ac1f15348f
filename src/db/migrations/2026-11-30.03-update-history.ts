// What a self-update attempt records beyond from/to/status/log: the commits it moved between (a
// rollback checks the old one out again), a one-line result, and the backup taken before it.
import type { Kysely } from 'kysely';

const COLUMNS = ['from_commit', 'to_commit', 'result', 'backup_id'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One statement per column: SQLite's ALTER TABLE adds one column at a time.
  for (const column of COLUMNS) await db.schema.alterTable('update_history').addColumn(column, 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of COLUMNS) await db.schema.alterTable('update_history').dropColumn(column).execute();
}
