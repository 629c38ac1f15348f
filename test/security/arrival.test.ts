// Limits at arrival through the real webhook path against the fake Bot API, with the DEFAULT
// settings and the outgoing throttle ON (Telegram's pace: about one message a second per chat),
// which used to hide every flood: a user sending 100, then 500 messages is slowed down and banned,
// few of them are answered, the rest are recorded as dropped with their reason, and a person
// talking to the bot meanwhile is answered promptly. Also: a user banned while updates of theirs
// wait loses those (recorded), and one chat's backlog is capped.
import { beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { DATABASE_KINDS } from '../support/databases.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { inboxOutcomes } from '../support/inbox-outcomes.js';
import { singleMetric } from '../support/metrics-text.js';
import { FIXED_ANSWER, type TestPlatform, useConversationPlatform } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const ADMIN = 7;
const t = messages.en;
/** The throttle lets a private chat have one message a second; a person waits for the answer anyway. */
const TURN_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

describe.each(DATABASE_KINDS)('limits at arrival with the default settings on %s', (kind) => {
  const fixture = useConversationPlatform(kind, { ADMIN_TELEGRAM_IDS: String(ADMIN), TELEGRAM_THROTTLE: 'on' });
  let fake: FakeBotApi;
  let platform: TestPlatform;

  beforeAll(() => {
    ({ fake, platform } = fixture);
  });

  const send = async (text: string, userId: number) => {
    expect((await platform.postUpdate(textUpdate(text, { userId }))).status).toBe(200);
  };
  const answered = (userId: number) => fake.sentTexts(userId).filter((text) => text === FIXED_ANSWER).length;

  const outcomes = (userId: number) => inboxOutcomes(platform.database.db, userId);

  /** A person talking to the bot: sends, waits for the answer, reads it; the delay of each answer. */
  const converse = async (userId: number, turns: number): Promise<number[]> => {
    const delays: number[] = [];
    for (let turn = 0; turn < turns; turn++) {
      const before = answered(userId);
      const sent = Date.now();
      await send(`question ${turn}`, userId);
      await fake.waitFor(() => answered(userId) > before, 15_000);
      const reply = fake.callsOf('sendMessage').findLast((call) => Number(call.params.chat_id) === userId);
      delays.push((reply?.at ?? Date.now()) - sent);
      await sleep(TURN_MS);
    }
    return delays;
  };

  /** `count` messages from one user as fast as the webhook takes them, while another converses. */
  const flood = async (abuser: number, count: number, bystander: number) => {
    const started = Date.now();
    const [, delays] = await Promise.all([
      (async () => {
        for (let index = 0; index < count; index++) await send(`message number ${index}`, abuser);
        return Date.now() - started;
      })(),
      converse(bystander, 4),
    ]);
    await platform.idle();
    return delays;
  };

  /**
   * What the defaults promise for a flood of `count`: `limit` updates admitted, the queue of those
   * dropped at the first refusal (bar the one being handled), refusals up to the flood threshold,
   * the ban, and every later update refused as banned; one "slow down", one "you are banned".
   */
  const expectFloodStopped = async (abuser: number, count: number) => {
    const limit = platform.settings.get('security.userRateLimit');
    const floodAt = platform.settings.get('security.floodMessages');
    const served = answered(abuser);
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served).toBeLessThan(limit / 2);
    const replies = fake.sentTexts(abuser);
    expect(replies.filter((text) => text === t.slowDown)).toHaveLength(1);
    expect(replies.filter((text) => text === t.youAreBanned('1 min'))).toHaveLength(1);
    expect(replies).toHaveLength(served + 2);
    expect(platform.security.bans.isBanned(abuser)).toBe(true);
    expect(await outcomes(abuser)).toEqual({
      done: served,
      'dropped:rate_limited': floodAt - 1 - served,
      'dropped:burst': 1,
      'dropped:banned': count - floodAt,
    });
    const events = await platform.security.events.list({ userId: abuser });
    expect(events.map((event) => event.type)).toEqual(['ban', 'flood', 'rate_limited']);
    expect(events[0]).toMatchObject({ detail: { level: 1, by: 'auto', reason: 'flood: burst' } });
  };

  it('slows down, then bans, a user sending 100 messages, while another user is answered promptly', async () => {
    const started = Date.now();
    const delays = await flood(500, 100, 501);
    expect(Date.now() - started).toBeLessThan(15_000);
    await expectFloodStopped(500, 100);
    expect(delays).toHaveLength(4);
    expect(median(delays)).toBeLessThan(500);

    // Every refusal is counted: at arrival, and the queue dropped at the first one.
    const limit = platform.settings.get('security.userRateLimit');
    const floodAt = platform.settings.get('security.floodMessages');
    const drops = await singleMetric(platform, 'omnicore_security_dropped_total');
    expect(drops).toContain(`reason="rate_limited"} ${floodAt - 1 - answered(500)}`);
    expect(drops).toContain('reason="burst"} 1');
    expect(drops).toContain(`reason="banned"} ${100 - floodAt}`);
    expect(limit).toBeLessThan(floodAt);
  });

  it('stops a user sending 500 messages in a few seconds just the same', async () => {
    const started = Date.now();
    const delays = await flood(502, 500, 503);
    expect(Date.now() - started).toBeLessThan(20_000);
    await expectFloodStopped(502, 500);
    expect(median(delays)).toBeLessThan(500);
  });

  it("drops, and records, a user's waiting updates when an admin bans them", async () => {
    const user = 560;
    // Within every limit: only the throttle holds them back, one answer a second.
    for (let index = 0; index < 8; index++) await send(`a long story, part ${index}`, user);
    await send(`/ban ${user} 10m rude`, ADMIN);
    await platform.idle();
    expect(fake.sentTexts(ADMIN).at(-1)).toBe(t.banned(user, '10 min'));
    const { done = 0, ...dropped } = await outcomes(user);
    expect(dropped).toEqual({ 'dropped:banned': 8 - done });
    expect(8 - done).toBeGreaterThanOrEqual(4);
    // Each update handled was answered (its answer may still be leaving the throttle).
    await expect.poll(() => answered(user)).toBe(done);
  });

  it("caps one chat's backlog, recording what it drops", async () => {
    await platform.settings.set('inbox.maxQueuedPerChat', 3);
    try {
      const user = 570;
      for (let index = 0; index < 10; index++) await send(`part ${index} of a long story`, user);
      await platform.idle();
      const served = answered(user);
      expect(await outcomes(user)).toEqual({ done: served, 'dropped:chat_backlog_full': 10 - served });
      // Three may wait (the one being handled among them); the first answer frees a place at most.
      expect(served).toBeLessThanOrEqual(4);
    } finally {
      await platform.settings.set('inbox.maxQueuedPerChat', 50);
    }
  });
});
