// The /stats summary text, from a report over generated events.
import { describe, expect, it } from 'vitest';
import { usageReport } from '../../src/analytics/report.js';
import { formatStats } from '../../src/bot/commands/stats.js';
import { DAY, type EventSpec, insertEvents, NOW, useAnalyticsDatabase, userIds } from './events.js';

const times = (count: number, spec: (index: number) => EventSpec): EventSpec[] =>
  Array.from({ length: count }, (_, i) => spec(i));

describe('/stats', () => {
  const handle = useAnalyticsDatabase('sqlite');

  it('shows active users, top commands with their trend, unknown commands and segments', async () => {
    await insertEvents(handle.db, [
      ...times(12, (i) => ({ at: NOW - i * 1000, user: 1 + (i % 4), command: 'weather', plugin: 'weather' })),
      ...times(8, (i) => ({ at: NOW - 40 * DAY - i, user: 1, command: 'weather', plugin: 'weather' })),
      ...times(5, (i) => ({ at: NOW - 2 * DAY - i, user: 2, command: 'help', plugin: 'core' })),
      ...times(10, (i) => ({ at: NOW - 35 * DAY - i, user: 2, command: 'help', plugin: 'core' })),
      ...times(3, (i) => ({ at: NOW - 3 * DAY - i, user: 3, command: 'quiz', plugin: 'games' })),
      ...times(3, (i) => ({ at: NOW - 33 * DAY - i, user: 3, command: 'quiz', plugin: 'games' })),
      ...userIds(2, 10).map((user) => ({ at: NOW - 1, user, command: 'price', outcome: 'unknown_command' as const })),
      { at: NOW - 1, user: 12, command: 'menu', outcome: 'unknown_command' },
      { at: NOW - 50 * DAY, user: 20 },
    ]);
    expect(formatStats(await usageReport(handle.db, NOW))).toBe(
      [
        'Usage, 2026-10-27 to 2026-11-25 (UTC)',
        'Active users: 7 today · 7 in 7 days · 7 in 30 days',
        'Top commands:',
        '  /weather 12 ↑50%',
        '  /help 5 ↓50%',
        '  /quiz 3 →',
        'Unknown commands: /price (2 users), /menu (1 user)',
        'Users: 4 new · 3 active · 0 dormant · 1 churned',
      ].join('\n'),
    );
  });

  it('says so when there is no usage yet', async () => {
    const text = formatStats(await usageReport(handle.db, NOW));
    expect(text).toContain('Active users: 0 today · 0 in 7 days · 0 in 30 days');
    expect(text).toContain('Top commands: none yet');
    expect(text).toContain('Unknown commands: none');
  });
});
