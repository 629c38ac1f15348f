// The stores keep only Telegram user ids; a person reads names. Adds the user (null when the bot
// has never seen that id) to records that carry an id, in one query.
import type { NamedUser } from '../../../admin/telegram-users.js';
import type { AdminServices } from '../services.js';

export async function withUsers<T extends { userId: number | null }>(
  users: AdminServices['users'],
  records: T[],
): Promise<(T & { user: NamedUser | null })[]> {
  const known = await users.named(records.flatMap((record) => (record.userId === null ? [] : [record.userId])));
  return records.map((record) => ({ ...record, user: (record.userId !== null && known.get(record.userId)) || null }));
}
