// Hour × weekday activity, user segments with engagement scores, and the whole report.
import { describe, expect, it } from 'vitest';
import { activityHeatmap } from '../../src/analytics/activity-heatmap.js';
import { createUsageAnalytics, usageReport } from '../../src/analytics/report.js';
import { engagementScore, userSegments } from '../../src/analytics/segments.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DAY, HOUR, insertEvents, NOW, TODAY, useAnalyticsDatabase, userIds } from './events.js';

/** Monday 2026-11-23 00:00 UTC. */
const MONDAY = Date.UTC(2026, 10, 23);

describe.each(DATABASE_KINDS)('user analyses on %s', (kind) => {
  const handle = useAnalyticsDatabase(kind);

  it('places events by UTC weekday and hour, and picks the hour reaching the most users', async () => {
    await insertEvents(handle.db, [
      // One very busy user at Monday 03:00–03:59 …
      ...Array.from({ length: 100 }, (_, i) => ({ at: MONDAY + 3 * HOUR + i * 1000, user: 1 })),
      // … five users at Sunday 18:59:59.999 (the last millisecond of hour 18, and of the week).
      ...userIds(5, 10).map((user) => ({ at: MONDAY - 5 * HOUR - 1, user })),
      { at: MONDAY + 2 * DAY + 4 * HOUR, user: 2 }, // Wednesday 04:00
    ]);
    const heatmap = await activityHeatmap(handle.db, { now: NOW, days: 30 });
    expect(heatmap.events[0]?.[3]).toBe(100);
    expect(heatmap.events[6]?.[18]).toBe(5);
    expect(heatmap.events[2]?.[4]).toBe(1);
    expect(heatmap.events.flat().reduce((a, b) => a + b, 0)).toBe(106);
    expect(heatmap.usersByHour[3]).toBe(1);
    expect(heatmap.bestHour).toEqual({ hour: 18, users: 5 });
  });

  it('segments users as new, active, dormant or churned and scores their engagement', async () => {
    await insertEvents(handle.db, [
      // 1: active every day of the window, several times: the most engaged.
      ...Array.from({ length: 30 }, (_, day) =>
        [0, 1, 2, 3].map((n) => ({ at: TODAY - day * DAY + n * HOUR, user: 1 })),
      ).flat(),
      // 2: new (first seen 2 days ago).
      { at: NOW - 2 * DAY, user: 2 },
      // 3: active (first 20 days ago, last 1 day ago).
      { at: NOW - 20 * DAY, user: 3 },
      { at: NOW - DAY, user: 3 },
      // 4: dormant for 10 days (newly dormant); 5: dormant for 20 days.
      { at: NOW - 40 * DAY, user: 4 },
      { at: NOW - 10 * DAY, user: 4 },
      { at: NOW - 20 * DAY, user: 5 },
      // 6: churned, silent for 45 days.
      { at: NOW - 45 * DAY, user: 6 },
    ]);
    const segments = await userSegments(handle.db, { now: NOW, days: 30 });
    expect(segments.counts).toEqual({ new: 1, active: 2, dormant: 2, churned: 1 });
    expect(segments.newlyDormant).toBe(1);
    const byId = new Map(segments.users.map((user) => [user.userId, user]));
    expect(byId.get(1)).toMatchObject({ segment: 'active', events: 120, activeDays: 30, score: 100 });
    expect(byId.get(6)).toMatchObject({ segment: 'churned', events: 0, activeDays: 0, score: 0 });
    expect(byId.get(4)).toMatchObject({ segment: 'dormant', events: 1, activeDays: 1, firstSeen: NOW - 40 * DAY });
    expect(segments.users[0]?.userId).toBe(1);
    expect(segments.users.at(-1)?.userId).toBe(6);
  });

  it('assembles the report; on an empty table every part is empty or zero', async () => {
    const empty = await usageReport(handle.db, NOW);
    expect(empty).toMatchObject({
      generatedAt: '2026-11-25T12:00:00.000Z',
      window: { from: '2026-10-27', to: '2026-11-25', days: 30 },
      activeUsers: { dau: 0, wau: 0, mau: 0 },
      commands: [],
      segments: { counts: { new: 0, active: 0, dormant: 0, churned: 0 }, topUsers: [] },
      activity: { bestHour: null },
    });
    expect(empty.retention).toHaveLength(8);
  });

  it('reports a single user consistently across its parts', async () => {
    await insertEvents(handle.db, [
      { at: NOW - HOUR, user: 7, command: 'start', plugin: 'core' },
      { at: NOW - HOUR + 1000, user: 7, command: 'help', plugin: 'core' },
    ]);
    const report = await usageReport(handle.db, NOW, { known: [{ command: 'stats', source: 'core' }] });
    expect(report.activeUsers).toMatchObject({ dau: 1, wau: 1, mau: 1 });
    expect(report.commands.map((use) => [use.command, use.count])).toEqual([
      ['help', 1],
      ['start', 1],
      ['stats', 0],
    ]);
    expect(report.sequences).toEqual([{ from: 'start', to: 'help', count: 1, users: 1, share: 1 }]);
    expect(report.activity.bestHour).toEqual({ hour: 11, users: 1 });
    expect(report.plugins).toMatchObject([{ plugin: 'core', events: 2, users: 1 }]);
    expect(report.segments.counts.new).toBe(1);
    expect(report.retention.at(-1)).toEqual({ week: '2026-11-23', users: 1, retained: [1] });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('engagement score', () => {
  it('rises with active days, events and recency, within 0–100', () => {
    const base = { activeDays: 5, events: 10, silentDays: 3, windowDays: 30 };
    const score = engagementScore(base);
    expect(score).toBeGreaterThan(0);
    expect(engagementScore({ ...base, activeDays: 10 })).toBeGreaterThan(score);
    expect(engagementScore({ ...base, events: 50 })).toBeGreaterThan(score);
    expect(engagementScore({ ...base, silentDays: 1 })).toBeGreaterThan(score);
    expect(engagementScore({ activeDays: 30, events: 1e6, silentDays: 0, windowDays: 30 })).toBe(100);
    expect(engagementScore({ activeDays: 0, events: 0, silentDays: 90, windowDays: 30 })).toBe(0);
  });
});

describe('live analytics', () => {
  const handle = useAnalyticsDatabase('sqlite');

  it('reuses a recent report of the present, and reports an explicit `now` afresh', async () => {
    const analytics = createUsageAnalytics(handle.db, () => [], { maxAgeMs: 60_000 });
    const first = await analytics.report();
    await insertEvents(handle.db, [{ at: Date.now() - 1000, user: 1 }]);
    expect(await analytics.report()).toBe(first);
    expect((await analytics.report(Date.now())).activeUsers.mau).toBe(1);
    const fresh = createUsageAnalytics(handle.db, () => [], { maxAgeMs: 0 });
    await fresh.report();
    await new Promise((resolve) => setTimeout(resolve, 2));
    await insertEvents(handle.db, [{ at: Date.now() - 1000, user: 2 }]);
    expect((await fresh.report()).activeUsers.mau).toBe(2);
  });
});
