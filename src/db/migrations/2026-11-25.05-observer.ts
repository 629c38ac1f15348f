// The observer's tables: health-check history and alerts, plus an index for rolling up and purging
// `system_metrics` by resolution and time.
import type { Kysely } from 'kysely';
import { idColumn } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('system_metrics_resolution_at')
    .on('system_metrics')
    .columns(['resolution', 'at'])
    .execute();

  await idColumn(db, db.schema.createTable('health_checks'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('ok', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'double precision', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('health_checks_name_at').on('health_checks').columns(['name', 'at']).execute();
  await db.schema.createIndex('health_checks_at').on('health_checks').column('at').execute();

  await idColumn(db, db.schema.createTable('alerts'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('detector', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('score', 'double precision')
    .addColumn('first_at', 'bigint', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('notified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('alerts_key_last_at').on('alerts').columns(['key', 'last_at']).execute();
  await db.schema.createIndex('alerts_first_at').on('alerts').column('first_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('alerts').execute();
  await db.schema.dropTable('health_checks').execute();
  await db.schema.dropIndex('system_metrics_resolution_at').execute();
}
