// Daily, weekly and monthly active users (distinct users with any event), on UTC calendar days:
// DAU is today so far, WAU the last 7 days and MAU the last 30, each counting today.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type AnalysisWindow, DAY_MS, dayOf, isoDay, num, startOfUtcDay, windowStart } from './window.js';

export interface ActiveUsers {
  dau: number;
  wau: number;
  mau: number;
  /** One point per UTC day of the window, oldest first, days without users included. */
  daily: { day: string; users: number }[];
}

export async function activeUsers(db: Kysely<Database>, window: AnalysisWindow): Promise<ActiveUsers> {
  const today = startOfUtcDay(window.now);
  const weekStart = today - 6 * DAY_MS;
  const monthStart = today - 29 * DAY_MS;
  const from = windowStart(window);
  const [counts, rows] = await Promise.all([
    // One pass for all three: each count only sees the users of its own stretch.
    db
      .selectFrom('usage_events')
      .select((eb) => [
        eb.fn
          .count(eb.case().when('at', '>=', today).then(eb.ref('user_id')).end())
          .distinct()
          .as('dau'),
        eb.fn
          .count(eb.case().when('at', '>=', weekStart).then(eb.ref('user_id')).end())
          .distinct()
          .as('wau'),
        eb.fn.count('user_id').distinct().as('mau'),
      ])
      .where('at', '>=', monthStart)
      .where('at', '<=', window.now)
      .executeTakeFirst(),
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
  return { dau: num(counts?.dau), wau: num(counts?.wau), mau: num(counts?.mau), daily };
}
