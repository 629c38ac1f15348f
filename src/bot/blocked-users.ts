// Records on the user (`users.blocked_bot_at`) that Telegram refused a message because they blocked
// the bot. The row may not be written yet (sightings are flushed in batches), so it is upserted
// from the update's sender; a later sighting clears the mark (see activity.ts).
import type { User } from 'grammy/types';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { userRow } from './activity.js';

export async function recordBotBlocked(db: Kysely<Database>, user: User, at: number): Promise<void> {
  await db
    .insertInto('users')
    .values({ ...userRow(user, at, at, 0), blocked_bot_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ blocked_bot_at: at }))
    .execute();
}
