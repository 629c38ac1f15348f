// DAU/WAU/MAU on UTC calendar days, and the daily series, on both databases.
import { describe, expect, it } from 'vitest';
import { activeUsers } from '../../src/analytics/active-users.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DAY, HOUR, insertEvents, NOW, TODAY, useAnalyticsDatabase } from './events.js';

const HOUR_2 = 2 * HOUR;

describe.each(DATABASE_KINDS)('active users on %s', (kind) => {
  const handle = useAnalyticsDatabase(kind);

  it('counts distinct users per UTC day, week and month, with the edges of each', async () => {
    await insertEvents(handle.db, [
      { at: TODAY, user: 1 }, // midnight today: DAU
      { at: TODAY + HOUR_2, user: 1 },
      { at: TODAY - 1, user: 2 }, // last millisecond of yesterday: not DAU
      { at: TODAY - 6 * DAY, user: 3 }, // first millisecond of the 7-day week
      { at: TODAY - 6 * DAY - 1, user: 4 }, // just outside it, inside the month
      { at: TODAY - 29 * DAY, user: 5 }, // first millisecond of the 30-day month
      { at: TODAY - 29 * DAY - 1, user: 6 }, // outside everything
      { at: NOW + 1, user: 7 }, // after now: ignored
      { at: TODAY + HOUR_2, user: null }, // no user (a channel post): not a user
    ]);
    const result = await activeUsers(handle.db, { now: NOW, days: 30 });
    expect(result).toMatchObject({ dau: 1, wau: 3, mau: 5 });
    expect(result.daily).toHaveLength(30);
    expect(result.daily[0]).toEqual({ day: '2026-10-27', users: 1 });
    expect(result.daily.at(-1)).toEqual({ day: '2026-11-25', users: 1 });
    expect(result.daily.at(-2)).toEqual({ day: '2026-11-24', users: 1 });
    expect(result.daily.reduce((sum, point) => sum + point.users, 0)).toBe(5);
  });

  it('answers zeros on an empty table', async () => {
    const result = await activeUsers(handle.db, { now: NOW, days: 7 });
    expect(result).toMatchObject({ dau: 0, wau: 0, mau: 0 });
    expect(result.daily.map((point) => point.users)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
