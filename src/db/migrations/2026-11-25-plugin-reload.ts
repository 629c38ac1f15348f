// A counter per plugin that asks running servers to re-import its code (`omnicore plugins reload`).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('plugins')
    .addColumn('code_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('plugins').dropColumn('code_generation').execute();
}
