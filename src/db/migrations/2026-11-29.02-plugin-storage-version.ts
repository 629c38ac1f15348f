// A version on each plugin storage row, raised by every write, so that storage.update() can
// compare-and-set in the database and several processes updating one key lose nothing. Rows
// written before it start at 0.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('plugin_storage')
    .addColumn('version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('plugin_storage').dropColumn('version').execute();
}
