// The mutation engine's experiments and who took part in them: one row per experiment (its target,
// arms, metric, rules and how it ended) and one per user it reached, with the arm they saw and
// what they did after (the primary metric and the guard metrics, as flags that only ever go to 1).
import type { Kysely } from 'kysely';
import { idColumn } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await idColumn(db, db.schema.createTable('experiments'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('arms', 'text', (c) => c.notNull())
    .addColumn('share', 'double precision', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('guards', 'text', (c) => c.notNull())
    .addColumn('alpha', 'double precision', (c) => c.notNull())
    .addColumn('tau', 'double precision', (c) => c.notNull())
    .addColumn('min_users', 'integer', (c) => c.notNull())
    .addColumn('max_duration_ms', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .addColumn('winner', 'text')
    .addColumn('outcome', 'text')
    .execute();
  await db.schema.createIndex('experiments_by_status').on('experiments').column('status').execute();
  await db.schema
    .createTable('experiment_users')
    .addColumn('experiment_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('arm', 'integer', (c) => c.notNull())
    .addColumn('exposed_at', 'bigint', (c) => c.notNull())
    .addColumn('converted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('missed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('slow', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blocked', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('experiment_users_pk', ['experiment_id', 'user_id'])
    .execute();
  await db.schema.createIndex('experiment_users_by_user').on('experiment_users').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('experiment_users').execute();
  await db.schema.dropTable('experiments').execute();
}
