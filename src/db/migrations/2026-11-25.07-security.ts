// The security layer's tables: bans (one row per user, kept after expiry so repeat offences escalate)
// and security events (bans, throttling, forged webhooks, sign-in and signature failures).
import type { Kysely } from 'kysely';
import { idColumn } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('bans')
    .addColumn('user_id', 'bigint', (c) => c.primaryKey())
    .addColumn('until', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await idColumn(db, db.schema.createTable('security_events'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'bigint')
    .addColumn('ip', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('security_events_at').on('security_events').column('at').execute();
  await db.schema.createIndex('security_events_type_at').on('security_events').columns(['type', 'at']).execute();
  await db.schema.createIndex('security_events_user_id').on('security_events').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('security_events').execute();
  await db.schema.dropTable('bans').execute();
}
