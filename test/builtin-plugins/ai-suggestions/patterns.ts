// Crafted usage patterns, each meant to produce one kind of suggestion, for the AI Suggestions tests.
import { type EventSpec, HOUR, NOW, TODAY, userIds } from '../../analytics/events.js';

const DAY = 24 * HOUR;

/** 41 users typed /price (one of them three times); 2 users typed /foo (below the threshold). */
export const unknownPrice: EventSpec[] = [
  ...userIds(41, 1000).map((user) => ({ at: NOW - user, user, command: 'price', outcome: 'unknown_command' as const })),
  { at: NOW - 5, user: 1000, command: 'price', outcome: 'unknown_command' },
  { at: NOW - 6, user: 1000, command: 'price', outcome: 'unknown_command' },
  ...userIds(2, 1100).map((user) => ({ at: NOW - user, user, command: 'foo', outcome: 'unknown_command' as const })),
];

/** The shop plugin failed 12 of 30 times; the notes plugin 1 of 30 (below the threshold). */
export const failingShop: EventSpec[] = [
  ...Array.from({ length: 30 }, (_, i) => ({
    at: NOW - HOUR - i * 1000,
    user: 2000 + (i % 6),
    command: 'pay',
    plugin: 'shop',
    outcome: i < 12 ? ('error' as const) : ('ok' as const),
  })),
  ...Array.from({ length: 30 }, (_, i) => ({
    at: NOW - HOUR - i * 1000,
    user: 2100,
    command: 'note',
    plugin: 'notes',
    outcome: i === 0 ? ('error' as const) : ('ok' as const),
  })),
];

/** 12 users active at 18:xx UTC yesterday; 3 others at scattered hours. */
export const eveningCrowd: EventSpec[] = [
  ...userIds(12, 3000).map((user, i) => ({ at: TODAY - DAY + 18 * HOUR + i * 60_000, user })),
  { at: TODAY - DAY + 3 * HOUR, user: 3100 },
  { at: TODAY - DAY + 9 * HOUR, user: 3101 },
  { at: TODAY - DAY + 9 * HOUR, user: 3102 },
];

/** 6 users last seen 10 days ago (first seen 20 days ago), and 4 still active. */
export const goingQuiet: EventSpec[] = [
  ...userIds(6, 4000).flatMap((user) => [
    { at: NOW - 20 * DAY, user },
    { at: NOW - 10 * DAY, user },
  ]),
  ...userIds(4, 4100).flatMap((user) => [
    { at: NOW - 20 * DAY, user },
    { at: NOW - DAY, user },
  ]),
];

/** 8 users run /search then /book; 2 of them /search then /help. */
export const searchThenBook: EventSpec[] = userIds(8, 5000).flatMap((user, i) => [
  { at: NOW - 2 * DAY + i * 10_000, user, command: 'search', plugin: 'travel' },
  { at: NOW - 2 * DAY + i * 10_000 + 1000, user, command: 'book', plugin: 'travel' },
  ...(i < 2
    ? [
        { at: NOW - 2 * DAY + i * 10_000 + 2000, user, command: 'search', plugin: 'travel' },
        { at: NOW - 2 * DAY + i * 10_000 + 3000, user, command: 'help', plugin: 'core' },
      ]
    : []),
]);

/** 20 users send /start; 4 of them go on to /search, the other 16 run nothing after it. */
export const stopAfterStart: EventSpec[] = userIds(20, 6000).flatMap((user, i) => [
  { at: NOW - DAY + i * 10_000, user, command: 'start', plugin: 'core' },
  ...(i < 4 ? [{ at: NOW - DAY + i * 10_000 + 1000, user, command: 'search', plugin: 'travel' }] : []),
]);
