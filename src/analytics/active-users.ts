// Daily, weekly and monthly active users (distinct users with any event), on UTC calendar days:
// DAU is today so far, WAU the last 7 days and MAU the last 30, each counting today.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AnalysisWindow, DAY_MS, dayOf, isoDay, num, startOfUtcDay, windowStart } from './window.js';

export interface ActiveUsers {
  dau: number;
  wau: number;
  mau: number;
  /** One point per UTC day of the window, oldest first, days without users included. */
  daily: { day: string; users: number }[];
}

export async function activeUsers(db: Kysely<Database>, window: AnalysisWindow): Promise<ActiveUsers> {
  const distinctSince = async (from: number): Promise<number> => {
    const row = await db
      .selectFrom('usage_events')
      .select((eb) => eb.fn.count('user_id').distinct().as('users'))
      .where('at', '>=', from)
      .where('at', '<=', window.now)
      .executeTakeFirst();
    return num(row?.users);
  };
  const today = startOfUtcDay(window.now);
  const from = windowStart(window);
  const [dau, wau, mau, rows] = await Promise.all([
    distinctSince(today),
    distinctSince(today - 6 * DAY_MS),
    distinctSince(today - 29 * DAY_MS),
    db
      .selectFrom('usage_events')
      .select((eb) => [dayOf().as('day'), eb.fn.count('user_id').distinct().as('users')])
      .where('at', '>=', from)
      .where('at', '<=', window.now)
      .groupBy(dayOf())
      .execute(),
  ]);
  const byDay = new Map(rows.map((row) => [num(row.day), num(row.users)]));
  const daily = Array.from({ length: window.days }, (_, index) => {
    const at = from + index * DAY_MS;
    return { day: isoDay(at), users: byDay.get(at / DAY_MS) ?? 0 };
  });
  return { dau, wau, mau, daily };
}
