// Sign-in lockout kept as one counter row per client address and per account name, so that an
// attempt can be counted with one atomic upsert before its password is checked (see
// admin/sign-in-guard.ts); the list of failure timestamps it replaces was counted after the check.
import type { Kysely } from 'kysely';
import { idColumn } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('admin_sign_in_attempts')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('points', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('admin_sign_in_attempts_pk', ['scope', 'key'])
    .execute();
  await db.schema.dropTable('admin_sign_in_failures').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('admin_sign_in_attempts').execute();
  await idColumn(db, db.schema.createTable('admin_sign_in_failures'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('admin_sign_in_failures_key')
    .on('admin_sign_in_failures')
    .columns(['scope', 'key', 'at'])
    .execute();
}
