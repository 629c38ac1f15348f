// User segments by first and last event, and an engagement score per user.
//   new: first event within the last 7 days · active: last event within 7 days, first before ·
//   dormant: last event 7–30 days ago · churned: last event more than 30 days ago.
// The score (0–100) weighs active days in the window (50), events in it on a log scale (30) and
// recency (20, falling to 0 at 30 days of silence).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type AnalysisWindow, DAY_MS, dayOf, num, windowStart } from './window.js';

export type Segment = 'new' | 'active' | 'dormant' | 'churned';
export const SEGMENTS: readonly Segment[] = ['new', 'active', 'dormant', 'churned'];

export const ACTIVE_DAYS = 7;
export const CHURN_DAYS = 30;

export interface UserEngagement {
  userId: number;
  segment: Segment;
  score: number;
  firstSeen: number;
  lastSeen: number;
  /** Events and distinct UTC days with events, within the window. */
  events: number;
  activeDays: number;
}

export interface UserSegments {
  counts: Record<Segment, number>;
  /** Users whose last event was 7–14 days ago: the ones who went dormant in the last week. */
  newlyDormant: number;
  /** Every user with an event up to `now`, highest score first. */
  users: UserEngagement[];
}

export async function userSegments(db: Kysely<Database>, window: AnalysisWindow): Promise<UserSegments> {
  const from = windowStart(window);
  const rows = await db
    .selectFrom('usage_events')
    .select((eb) => [
      'user_id',
      eb.fn.min('at').as('first'),
      eb.fn.max('at').as('last'),
      eb.fn.sum<number>(eb.case().when('at', '>=', from).then(1).else(0).end()).as('events'),
      eb.fn
        .count(eb.case().when('at', '>=', from).then(dayOf()).end())
        .distinct()
        .as('days'),
    ])
    .where('user_id', 'is not', null)
    .where('at', '<=', window.now)
    .groupBy('user_id')
    .execute();
  const counts: Record<Segment, number> = { new: 0, active: 0, dormant: 0, churned: 0 };
  let newlyDormant = 0;
  const users = rows.map((row): UserEngagement => {
    const firstSeen = num(row.first);
    const lastSeen = num(row.last);
    const silentDays = (window.now - lastSeen) / DAY_MS;
    const segment = segmentOf((window.now - firstSeen) / DAY_MS, silentDays);
    counts[segment]++;
    if (segment === 'dormant' && silentDays < 2 * ACTIVE_DAYS) newlyDormant++;
    const events = num(row.events);
    const activeDays = num(row.days);
    return {
      userId: num(row.user_id),
      segment,
      score: engagementScore({ activeDays, events, silentDays, windowDays: window.days }),
      firstSeen,
      lastSeen,
      events,
      activeDays,
    };
  });
  users.sort((a, b) => b.score - a.score || a.userId - b.userId);
  return { counts, newlyDormant, users };
}

function segmentOf(ageDays: number, silentDays: number): Segment {
  if (silentDays >= CHURN_DAYS) return 'churned';
  if (silentDays >= ACTIVE_DAYS) return 'dormant';
  return ageDays < ACTIVE_DAYS ? 'new' : 'active';
}

export function engagementScore(input: {
  activeDays: number;
  events: number;
  silentDays: number;
  windowDays: number;
}): number {
  const days = Math.min(input.activeDays / input.windowDays, 1);
  const volume = Math.min(Math.log10(1 + input.events) / 2, 1);
  const recency = Math.max(0, 1 - input.silentDays / CHURN_DAYS);
  return Math.round(50 * days + 30 * volume + 20 * recency);
}
