// How the inbox ended up for one chat, for tests that check what was handled and what was dropped:
// `{ done: 3, 'dropped:rate_limited': 19, ... }`, counting rows by status and, for drops, reason.
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';

export async function inboxOutcomes(db: Kysely<Database>, chatId: number): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('telegram_updates')
    .select(['status', 'last_error'])
    .where('chat_key', '=', String(chatId))
    .execute();
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const key = row.status === 'dropped' ? `dropped:${row.last_error}` : row.status;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
