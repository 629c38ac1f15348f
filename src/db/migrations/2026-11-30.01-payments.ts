// The payments ledger: one row per charge (unique per provider and the provider's own id, so a
// replay is a no-op), every provider event kept raw and deduplicated by its id, and the
// entitlements payments grant (or admins grant by hand).
import type { Kysely } from 'kysely';
import { idColumn } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await idColumn(db, db.schema.createTable('payments'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('product', 'text')
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('refunded_amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('subscription_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('payments_provider_id', ['provider', 'provider_id'])
    .execute();
  await db.schema.createIndex('payments_user').on('payments').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('payments_created').on('payments').column('created_at').execute();
  await db.schema.createIndex('payments_reference').on('payments').columns(['provider', 'reference']).execute();
  await db.schema.createIndex('payments_subscription').on('payments').column('subscription_id').execute();

  await idColumn(db, db.schema.createTable('payment_events'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'bigint')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('payment_events_provider_event', ['provider', 'event_id'])
    .execute();
  await db.schema.createIndex('payment_events_payment').on('payment_events').column('payment_id').execute();

  await idColumn(db, db.schema.createTable('entitlements'))
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('payment_id', 'bigint')
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('entitlements_user_key').on('entitlements').columns(['user_id', 'key']).execute();
  await db.schema.createIndex('entitlements_payment').on('entitlements').column('payment_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('entitlements').execute();
  await db.schema.dropTable('payment_events').execute();
  await db.schema.dropTable('payments').execute();
}
