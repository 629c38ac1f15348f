// Plugins' durable job queue (ctx.jobs): one row per job, claimed by the worker that sets it running,
// with what its attempts saved (state) and what the last one returned (result) kept as JSON text.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('plugin_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plugin', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('state', 'text')
    .execute();
  // Workers look for a plugin's due jobs: queued ones by run_at, running ones whose lock ran out.
  await db.schema.createIndex('plugin_jobs_due').on('plugin_jobs').columns(['plugin', 'status', 'run_at']).execute();
  // Listings go newest first.
  await db.schema.createIndex('plugin_jobs_created').on('plugin_jobs').columns(['plugin', 'created_at']).execute();
  // One live job per key: what makes enqueueing with a key idempotent across processes.
  await db.schema
    .createIndex('plugin_jobs_live_key')
    .on('plugin_jobs')
    .columns(['plugin', 'kind', 'key'])
    .unique()
    .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('plugin_jobs').execute();
}
