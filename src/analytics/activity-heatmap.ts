// When users are active: events by weekday × hour of day (UTC), and the hour that reaches the most
// distinct users, which is the best time for a broadcast.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AnalysisWindow, dayOf, hourOf, num, windowStart } from './window.js';

export interface ActivityHeatmap {
  /** events[weekday][hour]: weekday 0 is Monday, hours are UTC. */
  events: number[][];
  /** Distinct users active in each UTC hour of the day, over the window. */
  usersByHour: number[];
  /** The hour with the most distinct users; null without events. */
  bestHour: { hour: number; users: number } | null;
}

export async function activityHeatmap(db: Kysely<Database>, window: AnalysisWindow): Promise<ActivityHeatmap> {
  const from = windowStart(window);
  const [cells, hours] = await Promise.all([
    db
      .selectFrom('usage_events')
      .select((eb) => [dayOf().as('day'), hourOf().as('hour'), eb.fn.countAll().as('events')])
      .where('at', '>=', from)
      .where('at', '<=', window.now)
      .groupBy([dayOf(), hourOf()])
      .execute(),
    db
      .selectFrom('usage_events')
      .select((eb) => [hourOf().as('hour'), eb.fn.count('user_id').distinct().as('users')])
      .where('at', '>=', from)
      .where('at', '<=', window.now)
      .groupBy(hourOf())
      .execute(),
  ]);
  const events = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  // Day 0 (1970-01-01) was a Thursday, weekday 3 counting from Monday.
  for (const row of cells) {
    const weekday = events[(num(row.day) + 3) % 7] as number[];
    weekday[num(row.hour)] = (weekday[num(row.hour)] as number) + num(row.events);
  }
  const usersByHour = new Array<number>(24).fill(0);
  for (const row of hours) usersByHour[num(row.hour)] = num(row.users);
  const peak = Math.max(...usersByHour);
  return {
    events,
    usersByHour,
    bestHour: peak === 0 ? null : { hour: usersByHour.indexOf(peak), users: peak },
  };
}
