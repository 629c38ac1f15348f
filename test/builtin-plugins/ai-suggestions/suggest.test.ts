// Suggestions from crafted usage patterns, read through the real analytics on a real database.
import { describe, expect, it } from 'vitest';
import type { KnownCommand } from '../../../src/analytics/commands.js';
import { usageReport } from '../../../src/analytics/report.js';
import { type Suggestion, suggestFrom } from '../../../src/builtin-plugins/ai-suggestions/suggest.js';
import { type EventSpec, insertEvents, NOW, useAnalyticsDatabase } from '../../analytics/events.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { eveningCrowd, failingShop, goingQuiet, searchThenBook, stopAfterStart, unknownPrice } from './patterns.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(DATABASE_KINDS)('suggestions from usage on %s', (kind) => {
  const handle = useAnalyticsDatabase(kind);

  const suggest = async (
    events: EventSpec[],
    known: KnownCommand[] = [],
    knownFor = 61 * DAY,
  ): Promise<Suggestion[]> => {
    await insertEvents(handle.db, events);
    const commandSince = Object.fromEntries(known.map(({ command }) => [command, NOW - knownFor]));
    return suggestFrom(await usageReport(handle.db, NOW, { known }), undefined, { now: NOW, commandSince });
  };
  const ofKind = (suggestions: Suggestion[], wanted: Suggestion['kind']) =>
    suggestions.filter((s) => s.kind === wanted);

  it('asks for a command many users typed that nothing handles', async () => {
    const found = ofKind(await suggest(unknownPrice), 'unknown-command');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ subject: 'price', title: 'Add a /price command' });
    expect(found[0]?.evidence).toBe('41 users typed /price (43 times in 30 days); nothing handles it.');
    expect(found[0]?.confidence).toBeGreaterThan(0.5);
  });

  it('stops asking for a command once something handles it', async () => {
    const found = ofKind(await suggest(unknownPrice, [{ command: 'price', source: 'shop' }]), 'unknown-command');
    expect(found).toEqual([]);
  });

  it('does not ask for a typo of a command that exists: did-you-mean already leads there', async () => {
    const typos = unknownPrice.map((event) => ({ ...event, command: 'hepl' }));
    const found = ofKind(await suggest(typos, [{ command: 'help', source: 'core' }]), 'unknown-command');
    expect(found).toEqual([]);
  });

  it('flags a plugin with a high error rate, not one with a rare failure', async () => {
    const found = ofKind(await suggest(failingShop), 'plugin-errors');
    expect(found.map((s) => s.subject)).toEqual(['shop']);
    expect(found[0]?.evidence).toBe('12 of its 30 handled updates failed (40%) for 6 users.');
  });

  it('names a plugin command nobody used, but not the core ones', async () => {
    const found = ofKind(
      await suggest(eveningCrowd, [
        { command: 'quiz', source: 'games' },
        { command: 'cancel', source: 'core' },
      ]),
      'unused-command',
    );
    expect(found.map((s) => s.subject)).toEqual(['quiz']);
    expect(found[0]?.evidence).toContain('Nobody ran /quiz (games) in 60 days, while 15 users were active');
  });

  it('does not call a command unused before it has been known for the span it would speak of', async () => {
    const known: KnownCommand[] = [{ command: 'quiz', source: 'games' }];
    expect(ofKind(await suggest(eveningCrowd, known, 20 * 60 * 1000), 'unused-command')).toEqual([]);
  });

  it('picks the hour that reaches the most users for broadcasts', async () => {
    const found = ofKind(await suggest(eveningCrowd), 'broadcast-hour');
    expect(found).toMatchObject([{ subject: '18', title: 'Send broadcasts at 18:00 UTC' }]);
    expect(found[0]?.evidence).toContain('12 users of 15 monthly users (80%)');
  });

  it('warns about a segment going dormant', async () => {
    const found = ofKind(await suggest(goingQuiet), 'dormant-users');
    expect(found).toMatchObject([{ title: 'Win back 6 users who went quiet' }]);
    expect(found[0]?.evidence).toContain('against 4 still active (60% going dormant)');
  });

  it('proposes a shortcut for a sequence most users take', async () => {
    const found = ofKind(await suggest(searchThenBook), 'shortcut');
    expect(found).toMatchObject([{ subject: 'search>book', title: 'Offer /book right after /search' }]);
    expect(found[0]?.evidence).toContain(
      '8 users ran /book right after /search (8 times, 80% of what follows /search)',
    );
  });

  it('suggests trying the guided welcome when most users stop after /start', async () => {
    const found = ofKind(await suggest(stopAfterStart), 'welcome-dropoff');
    expect(found).toMatchObject([{ subject: 'start', title: 'Try the guided welcome on new users' }]);
    expect(found[0]?.evidence).toContain('80% of the 20 users who sent /start ran no command right after it');
  });

  it('does not suggest another welcome when most users go on after /start', async () => {
    const goOn = [...stopAfterStart];
    for (const [index, event] of stopAfterStart.entries()) {
      if (event.command === 'start' && index >= 8) goOn.push({ ...event, at: event.at + 1000, command: 'search' });
    }
    expect(ofKind(await suggest(goOn), 'welcome-dropoff')).toEqual([]);
  });

  it('suggests nothing without usage, or below the thresholds', async () => {
    expect(await suggest([])).toEqual([]);
    const few = await suggest([
      { at: NOW - 1, user: 1, command: 'price', outcome: 'unknown_command' },
      { at: NOW - 2, user: 2, command: 'price', outcome: 'unknown_command' },
    ]);
    expect(few).toEqual([]);
  });
});
