// Time arithmetic every analysis shares: UTC days and ISO weeks (Monday 00:00 UTC) in epoch
// milliseconds, and the window an analysis looks at.
import { type RawBuilder, sql } from 'kysely';

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: shifting by three days makes weeks start on Monday. */
const MONDAY_SHIFT_DAYS = 3;

/** What an analysis looks at: the `days` UTC days up to and including the one holding `now`. */
export interface AnalysisWindow {
  /** Epoch milliseconds; events after it are ignored. */
  readonly now: number;
  readonly days: number;
}

export function startOfUtcDay(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

/** Monday 00:00 UTC of the week holding `at`. */
export function startOfUtcWeek(at: number): number {
  return mondayOf(weekNumber(at));
}

/** Monday 00:00 UTC of a week number. */
export function mondayOf(week: number): number {
  return week * WEEK_MS - MONDAY_SHIFT_DAYS * DAY_MS;
}

/** Weeks since the Monday before the epoch; consecutive weeks have consecutive numbers. */
export function weekNumber(at: number): number {
  return Math.floor((at + MONDAY_SHIFT_DAYS * DAY_MS) / WEEK_MS);
}

/** The first millisecond a window covers. */
export function windowStart({ now, days }: AnalysisWindow): number {
  return startOfUtcDay(now) - (days - 1) * DAY_MS;
}

/** "2026-11-25" for the UTC day holding `at`. */
export function isoDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The UTC day number of `at` (days since the epoch), computed by the database. Constants are
 *  inlined so that PostgreSQL sees the same expression in SELECT and GROUP BY. */
export const dayOf = (column = 'at'): RawBuilder<number> => sql<number>`(${sql.ref(column)} / ${sql.lit(DAY_MS)})`;

export const hourOf = (column = 'at'): RawBuilder<number> =>
  sql<number>`((${sql.ref(column)} / ${sql.lit(HOUR_MS)}) % 24)`;

export const weekOf = (column = 'at'): RawBuilder<number> =>
  sql<number>`((${sql.ref(column)} + ${sql.lit(MONDAY_SHIFT_DAYS * DAY_MS)}) / ${sql.lit(WEEK_MS)})`;

/** PostgreSQL returns counts and sums of bigints as strings; SQLite as numbers. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
