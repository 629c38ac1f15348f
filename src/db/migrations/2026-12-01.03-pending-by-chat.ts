// A chat's pending updates, found by chat: what claiming a chat's lease, fetching its rows and fencing
// a start (an earlier pending update of the chat goes first) look up for every update on PostgreSQL.
// Without it each lookup read every pending row: under a backlog, PostgreSQL took more CPU than the
// platform (measured in `npm run bench`: 114 % of a core, replies at 0.19× bare grammY).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('telegram_updates_pending_by_chat')
    .on('telegram_updates')
    .columns(['chat_key', 'update_id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('telegram_updates_pending_by_chat').execute();
}
