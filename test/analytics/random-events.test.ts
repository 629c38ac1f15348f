// Random event sets against a plain in-memory count of the same events: the SQL analyses must
// agree with the definitions, whatever the data (fast-check generates it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeUsers } from '../../src/analytics/active-users.js';
import { activityHeatmap } from '../../src/analytics/activity-heatmap.js';
import { pluginUsage } from '../../src/analytics/plugin-usage.js';
import { userSegments } from '../../src/analytics/segments.js';
import { unknownCommands } from '../../src/analytics/unknown-commands.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DAY, type EventSpec, HOUR, insertEvents, NOW, TODAY, useAnalyticsDatabase } from './events.js';

const DAYS = 30;
const FROM = TODAY - (DAYS - 1) * DAY;

/** The edges the analyses must get right: today, the 7- and 30-day stretches, now. */
const EDGES = [TODAY, TODAY - 6 * DAY, TODAY - 29 * DAY, NOW];
const atArb = fc.oneof(
  fc.integer({ min: NOW - 45 * DAY, max: NOW + HOUR }),
  fc
    .tuple(fc.constantFrom(...EDGES), fc.integer({ min: -2 * HOUR, max: 2 * HOUR }))
    .map(([edge, offset]) => edge + offset),
  fc.tuple(fc.constantFrom(...EDGES), fc.constantFrom(-1, 0, 1)).map(([edge, offset]) => edge + offset),
);

const eventArb = fc.record({
  at: atArb,
  user: fc.option(fc.integer({ min: 1, max: 12 }), { freq: 8 }),
  command: fc.option(fc.constantFrom('a', 'b', 'c'), { freq: 2 }),
  plugin: fc.option(fc.constantFrom('p', 'q'), { freq: 2 }),
  outcome: fc.constantFrom('ok', 'ok', 'error', 'unknown_command'),
}) as fc.Arbitrary<EventSpec>;

const distinctUsers = (events: EventSpec[], from: number) =>
  new Set(events.filter((e) => e.at >= from && e.at <= NOW && e.user !== null).map((e) => e.user)).size;

describe.each(DATABASE_KINDS)('analyses against their definitions on %s', (kind) => {
  const handle = useAnalyticsDatabase(kind);

  it('agree with an in-memory count on random events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { maxLength: 60 }), async (events) => {
        await handle.db.deleteFrom('usage_events').execute();
        await insertEvents(handle.db, events);
        const window = { now: NOW, days: DAYS };
        const inWindow = events.filter((e) => e.at >= FROM && e.at <= NOW);

        const active = await activeUsers(handle.db, window);
        expect([active.dau, active.wau, active.mau]).toEqual([
          distinctUsers(events, TODAY),
          distinctUsers(events, TODAY - 6 * DAY),
          distinctUsers(events, TODAY - 29 * DAY),
        ]);

        const heatmap = await activityHeatmap(handle.db, window);
        const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
        for (const e of inWindow) {
          const date = new Date(e.at);
          const weekday = cells[(date.getUTCDay() + 6) % 7] as number[];
          weekday[date.getUTCHours()] = (weekday[date.getUTCHours()] as number) + 1;
        }
        expect(heatmap.events).toEqual(cells);

        const unknown = await unknownCommands(handle.db, window);
        const tried = inWindow.filter((e) => e.outcome === 'unknown_command' && e.command);
        expect(unknown.reduce((sum, entry) => sum + entry.count, 0)).toBe(tried.length);

        const plugins = await pluginUsage(handle.db, window);
        for (const name of ['p', 'q']) {
          const own = inWindow.filter((e) => e.plugin === name);
          const found = plugins.find((entry) => entry.plugin === name);
          expect(found?.events ?? 0).toBe(own.length);
          expect(found?.errors ?? 0).toBe(own.filter((e) => e.outcome === 'error').length);
        }

        const segments = await userSegments(handle.db, window);
        const known = new Set(events.filter((e) => e.at <= NOW && e.user !== null).map((e) => e.user));
        expect(Object.values(segments.counts).reduce((a, b) => a + b, 0)).toBe(known.size);
        for (const user of segments.users) {
          const own = inWindow.filter((e) => e.user === user.userId);
          expect(user.events).toBe(own.length);
          expect(user.activeDays).toBe(new Set(own.map((e) => Math.floor(e.at / DAY))).size);
        }
      }),
      { numRuns: kind === 'sqlite' ? 40 : 15 },
    );
  });
});
