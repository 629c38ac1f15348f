// When a user blocked the bot (Telegram answered "bot was blocked by the user"): kept on the user
// so that operators and broadcasts can tell who no longer takes messages; cleared when they come back.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('blocked_bot_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('blocked_bot_at').execute();
}
