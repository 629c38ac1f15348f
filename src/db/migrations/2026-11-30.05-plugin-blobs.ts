// Plugins' blobs (ctx.blobs): bytes kept compressed, one row per plugin and SHA-256 of the content,
// with the codec recorded per row (so the default can change) and a count of the puts holding it.
import type { Kysely } from 'kysely';
import { isPostgres } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plugin_blobs')
    .addColumn('plugin', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('stored_size', 'bigint', (c) => c.notNull())
    .addColumn('codec', 'text', (c) => c.notNull())
    .addColumn('refs', 'bigint', (c) => c.notNull())
    .addColumn('bytes', isPostgres(db) ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('plugin_blobs_pk', ['plugin', 'hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plugin_blobs').execute();
}
