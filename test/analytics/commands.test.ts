// Command frequency with trend, unknown and failing commands, per-plugin usage and sequences.
import { describe, expect, it } from 'vitest';
import { commandUsage } from '../../src/analytics/commands.js';
import { failingCommands } from '../../src/analytics/failing-commands.js';
import { pluginUsage } from '../../src/analytics/plugin-usage.js';
import { commandSequences } from '../../src/analytics/sequences.js';
import { unknownCommands } from '../../src/analytics/unknown-commands.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DAY, type EventSpec, insertEvents, NOW, TODAY, useAnalyticsDatabase, userIds } from './events.js';

const WINDOW = { now: NOW, days: 7 };
/** The first millisecond of the 7-day window, and of the 7 days before it. */
const FROM = TODAY - 6 * DAY;
const PREVIOUS = FROM - 7 * DAY;

const repeat = (times: number, spec: (index: number) => EventSpec): EventSpec[] =>
  Array.from({ length: times }, (_, index) => spec(index));

describe.each(DATABASE_KINDS)('command analyses on %s', (kind) => {
  const handle = useAnalyticsDatabase(kind);

  it('counts each command now and in the window before, for its trend, and lists unused ones', async () => {
    await insertEvents(handle.db, [
      ...repeat(30, (i) => ({ at: FROM + i * 1000, user: 1 + (i % 3), command: 'weather', plugin: 'weather' })),
      ...repeat(10, (i) => ({ at: PREVIOUS + i * 1000, user: 1, command: 'weather', plugin: 'weather' })),
      ...repeat(4, (i) => ({ at: FROM - 1 - i, user: 2, command: 'help', plugin: 'core' })),
      { at: NOW, user: 5, command: 'new', plugin: 'core' },
      { at: PREVIOUS - 1, user: 5, command: 'new', plugin: 'core' }, // too old for either window
      { at: NOW, user: 9, command: 'price', outcome: 'unknown_command' },
    ]);
    const uses = await commandUsage(handle.db, WINDOW, [
      { command: 'weather', source: 'weather' },
      { command: 'quiet', source: 'core' },
    ]);
    expect(uses).toEqual([
      { command: 'weather', plugin: 'weather', count: 30, users: 3, previousCount: 10, trend: 2 },
      { command: 'new', plugin: 'core', count: 1, users: 1, previousCount: 0, trend: null },
      { command: 'help', plugin: 'core', count: 0, users: 0, previousCount: 4, trend: -1 },
      { command: 'quiet', plugin: 'core', count: 0, users: 0, previousCount: 0, trend: null },
    ]);
  });

  it('ranks unknown commands by how many users tried them', async () => {
    await insertEvents(handle.db, [
      ...userIds(41).map((user) => ({
        at: NOW - user * 1000,
        user,
        command: 'price',
        outcome: 'unknown_command' as const,
      })),
      ...repeat(3, () => ({ at: NOW, user: 1, command: 'price', outcome: 'unknown_command' as const })),
      ...repeat(50, () => ({ at: NOW, user: 2, command: 'foo', outcome: 'unknown_command' as const })),
      { at: PREVIOUS, user: 3, command: 'bar', outcome: 'unknown_command' },
    ]);
    expect(await unknownCommands(handle.db, WINDOW, ['prices', 'start'])).toEqual([
      { command: 'price', count: 44, users: 41, nearCommand: 'prices' },
      { command: 'foo', count: 50, users: 1, nearCommand: null },
    ]);
  });

  it('reports failing commands and plugins with their error rates', async () => {
    await insertEvents(handle.db, [
      ...repeat(8, (i) => ({ at: NOW - i, user: i, command: 'pay', plugin: 'shop', outcome: 'error' as const })),
      ...repeat(2, (i) => ({ at: NOW - i, user: i, command: 'pay', plugin: 'shop' })),
      ...repeat(10, (i) => ({ at: NOW - i, user: 1, command: 'cart', plugin: 'shop' })),
      ...repeat(5, (i) => ({ at: NOW - i, user: 1, command: 'help', plugin: 'core' })),
      { at: NOW, user: 1, command: 'x', outcome: 'unknown_command' },
      { at: NOW, user: 1, kind: 'callback_query' },
    ]);
    expect(await failingCommands(handle.db, WINDOW)).toEqual([
      { command: 'pay', plugin: 'shop', count: 10, errors: 8, errorRate: 0.8 },
    ]);
    const plugins = await pluginUsage(handle.db, WINDOW);
    expect(plugins.map(({ avgLatencyMs, ...rest }) => rest)).toEqual([
      { plugin: 'shop', events: 20, users: 8, errors: 8, errorRate: 0.4 },
      { plugin: 'core', events: 5, users: 1, errors: 0, errorRate: 0 },
    ]);
    expect(plugins[0]?.avgLatencyMs).toBeCloseTo(5);
  });

  it('finds what users run next, per user and in time order', async () => {
    const steps = (user: number, commands: string[]): EventSpec[] =>
      commands.map((command, i) => ({ at: FROM + (user * DAY) / 100 + i * 1000, user, command }));
    await insertEvents(handle.db, [
      ...userIds(10).flatMap((user) => steps(user, ['search', 'search', 'book'])),
      ...userIds(5, 100).flatMap((user) => steps(user, ['search', 'cancel'])),
      // Interleaved with another user's commands at the same moments: still per user.
      ...steps(200, ['book', 'search']),
      { at: FROM + 5000, user: 300, command: 'search' },
      { at: FROM + 6000, user: 300, command: 'nope', outcome: 'unknown_command' },
      { at: FROM + 7000, user: 300, command: 'book' },
    ]);
    expect(await commandSequences(handle.db, WINDOW)).toEqual([
      { from: 'search', to: 'book', count: 11, users: 11, share: 11 / 16 },
      { from: 'search', to: 'cancel', count: 5, users: 5, share: 5 / 16 },
      { from: 'book', to: 'search', count: 1, users: 1, share: 1 },
    ]);
  });

  it('answers empty lists on an empty table', async () => {
    expect(await commandUsage(handle.db, WINDOW)).toEqual([]);
    expect(await unknownCommands(handle.db, WINDOW)).toEqual([]);
    expect(await failingCommands(handle.db, WINDOW)).toEqual([]);
    expect(await pluginUsage(handle.db, WINDOW)).toEqual([]);
    expect(await commandSequences(handle.db, WINDOW)).toEqual([]);
  });
});
