// Weekly cohorts (Monday 00:00 UTC) and their retention, with users first seen on the edges of a week.
import { describe, expect, it } from 'vitest';
import { retentionCohorts } from '../../src/analytics/retention.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DAY, insertEvents, NOW, useAnalyticsDatabase } from './events.js';

/** Monday 2026-11-09 00:00 UTC; NOW (Wednesday 2026-11-25) is in the week of Monday 11-23. */
const W1 = Date.UTC(2026, 10, 9);
const WEEK = 7 * DAY;

describe.each(DATABASE_KINDS)('retention cohorts on %s', (kind) => {
  const handle = useAnalyticsDatabase(kind);

  it('groups users by the week of their first event and counts who came back', async () => {
    await insertEvents(handle.db, [
      // Cohort of 11-09: users 1–4 (user 4 at the first millisecond of the week).
      { at: W1 + DAY, user: 1 },
      { at: W1 + 2 * DAY, user: 2 },
      { at: W1 + 3 * DAY, user: 3 },
      { at: W1, user: 4 },
      // Week after: 1 and 2 come back; two weeks after: only 1.
      { at: W1 + WEEK, user: 1 },
      { at: W1 + WEEK + DAY, user: 2 },
      { at: W1 + WEEK + 2 * DAY, user: 2 },
      { at: W1 + 2 * WEEK + DAY, user: 1 },
      // The last millisecond of the week before 11-09: user 5 belongs to the 11-02 cohort, and
      // their event in the 11-09 week counts as a return, not a new start.
      { at: W1 - 1, user: 5 },
      { at: W1 + DAY, user: 5 },
      // Cohort of 11-23 (this week): user 6.
      { at: NOW - 1, user: 6 },
    ]);
    const cohorts = await retentionCohorts(handle.db, { now: NOW, weeks: 4 });
    expect(cohorts).toEqual([
      { week: '2026-11-02', users: 1, retained: [1, 1, 0, 0] },
      { week: '2026-11-09', users: 4, retained: [1, 0.5, 0.25] },
      { week: '2026-11-16', users: 0, retained: [0, 0] },
      { week: '2026-11-23', users: 1, retained: [1] },
    ]);
  });

  it('leaves out users whose first week is before the window', async () => {
    await insertEvents(handle.db, [
      { at: W1 - 3 * WEEK, user: 1 },
      { at: W1 + DAY, user: 1 },
    ]);
    const cohorts = await retentionCohorts(handle.db, { now: NOW, weeks: 3 });
    expect(cohorts.map((cohort) => cohort.users)).toEqual([0, 0, 0]);
  });
});
