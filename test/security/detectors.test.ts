// The pure parts of the security layer: the ban ladder, flood detection on an injected clock, the
// spam heuristics, durations and the /ban arguments.
import { describe, expect, it } from 'vitest';
import { parseBanArguments } from '../../src/bot/commands/ban.js';
import { describeDuration, parseDuration } from '../../src/lib/durations.js';
import { nextBan } from '../../src/ops/security/escalation.js';
import { FloodDetector } from '../../src/ops/security/flood-detector.js';
import { spamSignal } from '../../src/ops/security/spam-check.js';

const LADDER = [60, 600, 3600, 86_400];
const HOUR = 3_600_000;

describe('ban ladder', () => {
  it('climbs 1 min → 10 min → 1 h → 24 h and stays on the last step', () => {
    let previous: { level: number; until: number | null } | undefined;
    let now = 0;
    const seen: number[] = [];
    for (let offence = 0; offence < 6; offence++) {
      const step = nextBan(previous, now, LADDER, 24 * HOUR);
      seen.push(step.durationMs / 1000);
      const until = now + step.durationMs;
      previous = { level: step.level, until };
      now = until + 1000;
    }
    expect(seen).toEqual([60, 600, 3600, 86_400, 86_400, 86_400]);
  });

  it('starts again from the first step after a quiet period', () => {
    const quiet = 24 * HOUR;
    expect(nextBan({ level: 3, until: 1000 }, 1000 + quiet - 1, LADDER, quiet).level).toBe(4);
    expect(nextBan({ level: 3, until: 1000 }, 1000 + quiet, LADDER, quiet)).toEqual({ level: 1, durationMs: 60_000 });
  });
});

describe('flood detector', () => {
  const limits = { messages: 5, windowMs: 10_000, repeats: 3 };

  it('flags a burst within the window but not the same count spread over a longer time', () => {
    let now = 0;
    const detector = new FloodDetector(() => now);
    const slow = Array.from({ length: 12 }, (_, index) => {
      now = index * 2500;
      return detector.check(1, `slow ${index}`, limits);
    });
    expect(slow.every((verdict) => verdict === undefined)).toBe(true);
    const fast = Array.from({ length: 5 }, (_, index) => {
      now = 100_000 + index * 100;
      return detector.check(2, `fast ${index}`, limits);
    });
    expect(fast).toEqual([undefined, undefined, undefined, undefined, 'burst']);
  });

  it('flags the same text repeated in a row, but not when something else comes between', () => {
    let now = 0;
    const detector = new FloodDetector(() => now);
    const say = (text: string) => {
      now += 4000;
      return detector.check(3, text, limits);
    };
    expect([say('buy'), say('buy'), say('other'), say('buy'), say('buy')]).toEqual(Array(5).fill(undefined));
    expect(say('buy')).toBe('repeat');
  });

  it('forgets users idle for longer than the window', () => {
    let now = 0;
    const detector = new FloodDetector(() => now);
    detector.check(4, 'a', limits);
    now = 5000;
    detector.check(5, 'b', limits);
    now = 34_000;
    detector.sweep(limits.windowMs);
    expect(detector.size).toBe(1);
    now = 36_000;
    detector.sweep(limits.windowMs);
    expect(detector.size).toBe(0);
  });
});

describe('spam heuristics', () => {
  const limits = { maxLinks: 3, maxMentions: 3 };
  const message = (text: string, entities: { type: string; offset: number; length: number }[] = []) =>
    ({ message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text, entities }) as never;

  it('counts links from entities or from the bare text', () => {
    expect(spamSignal(message('see https://a.example https://b.example t.me/c'), limits)).toBeUndefined();
    expect(spamSignal(message('https://a.ex https://b.ex www.c.ex t.me/d'), limits)).toEqual({
      kind: 'links',
      count: 4,
    });
    const entities = Array.from({ length: 4 }, (_, index) => ({ type: 'text_link', offset: index, length: 1 }));
    expect(spamSignal(message('abcd', entities), limits)).toEqual({ kind: 'links', count: 4 });
  });

  it('flags mass mentions and known spam phrases, and leaves ordinary talk alone', () => {
    expect(spamSignal(message('@alice1 @bobby2 @carol3 @dave44'), limits)).toEqual({ kind: 'mentions', count: 4 });
    expect(spamSignal(message('Claim your free USDT now!'), limits)).toEqual({ kind: 'pattern' });
    expect(spamSignal(message('I earn $500 per day from home'), limits)).toEqual({ kind: 'pattern' });
    for (const ordinary of ['hello @alice1, how are you?', 'what is the price of btc?', 'mail me at a@b.example']) {
      expect(spamSignal(message(ordinary), limits)).toBeUndefined();
    }
  });
});

describe('durations and /ban arguments', () => {
  it('parses and describes durations', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10M')).toBe(600_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    for (const bad of ['0m', '10', 'm', '1y', '-5m', '1.5h']) expect(parseDuration(bad)).toBeUndefined();
    expect(describeDuration(600_000)).toBe('10 min');
    expect(describeDuration(5_400_000)).toBe('1 h 30 min');
    expect(describeDuration(86_400_000 + 61_000)).toBe('1 d 1 min');
  });

  it('reads a user id or the replied-to user, an optional duration and a reason', () => {
    expect(parseBanArguments('123 10m flooding the chat', undefined)).toEqual({
      userId: 123,
      durationMs: 600_000,
      reason: 'flooding the chat',
    });
    expect(parseBanArguments('456 permanent', undefined)).toMatchObject({ userId: 456, durationMs: undefined });
    expect(parseBanArguments('spam links', 789)).toEqual({ userId: 789, durationMs: undefined, reason: 'spam links' });
    expect(parseBanArguments('1h', 789)).toMatchObject({ userId: 789, durationMs: 3_600_000 });
    expect(parseBanArguments('', undefined)).toBeUndefined();
    expect(parseBanArguments('someone 1h', undefined)).toBeUndefined();
  });
});
