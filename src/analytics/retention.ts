// Weekly retention cohorts: users grouped by the ISO week (Monday, UTC) of their first event, and
// the share of each cohort active again 0, 1, 2… weeks later.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { isoDay, mondayOf, num, weekNumber, weekOf } from './window.js';

export interface RetentionCohort {
  /** Monday of the cohort's first week, "2026-11-02". */
  week: string;
  users: number;
  /** retained[k]: share (0–1) of the cohort active in week k after its first ([0] is 1 unless the
   *  cohort is empty).
   *  Only weeks that have begun by `now` are listed. */
  retained: number[];
}

/** The cohorts of the last `weeks` weeks (counting the current one), oldest first. */
export async function retentionCohorts(
  db: Kysely<Database>,
  { now, weeks }: { now: number; weeks: number },
): Promise<RetentionCohort[]> {
  // One row per user and active week; a user's first week is looked for over all stored events,
  // so someone who came back is not counted as new.
  const rows = await db
    .selectFrom('usage_events')
    .select(['user_id', weekOf().as('week')])
    .where('user_id', 'is not', null)
    .where('at', '<=', now)
    .groupBy(['user_id', weekOf()])
    .execute();
  const activeWeeks = new Map<number, number[]>();
  for (const row of rows) {
    const user = num(row.user_id);
    const list = activeWeeks.get(user) ?? [];
    list.push(num(row.week));
    activeWeeks.set(user, list);
  }
  const current = weekNumber(now);
  const first = current - weeks + 1;
  const cohorts = new Map<number, { users: number; active: number[] }>();
  for (let week = first; week <= current; week++) {
    cohorts.set(week, { users: 0, active: new Array(current - week + 1).fill(0) });
  }
  for (const list of activeWeeks.values()) {
    const start = Math.min(...list);
    const cohort = cohorts.get(start);
    if (!cohort) continue;
    cohort.users++;
    for (const week of list) (cohort.active[week - start] as number)++;
  }
  return [...cohorts].map(([week, { users, active }]) => ({
    week: isoDay(mondayOf(week)),
    users,
    retained: active.map((count) => (users === 0 ? 0 : count / users)),
  }));
}
