// The security layer through the real webhook path against the fake Bot API (throttle off, so that
// answers come at once): bans expire; spam bans; /ban and /unban; admins exempt; forged webhooks
// counted. A flood with the default settings and the throttle on is arrival.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import type { FakeBotApi } from '../support/fake-bot-api.js';
import { singleMetric } from '../support/metrics-text.js';
import { FIXED_ANSWER, type TestPlatform, useConversationPlatform, WEBHOOK_SECRET } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const ADMIN = 7;
const t = messages.en;

describe('security layer on a running platform', () => {
  const fixture = useConversationPlatform('sqlite', { ADMIN_TELEGRAM_IDS: String(ADMIN) }, { forgeryWindowMs: 200 });
  let fake: FakeBotApi;
  let platform: TestPlatform;

  beforeAll(() => {
    ({ fake, platform } = fixture);
  });

  const send = async (text: string, userId: number, extra: Record<string, unknown> = {}) => {
    const update = textUpdate(text, { userId });
    Object.assign(update.message as object, extra);
    expect((await platform.postUpdate(update)).status).toBe(200);
  };
  const repliesTo = (userId: number) => fake.sentTexts(userId);

  it('lets a user back in once an automatic ban expires', async () => {
    await platform.settings.set('security.floodMessages', 5);
    await platform.settings.set('security.banLadderSeconds', [1]);
    try {
      const user = 510;
      for (let index = 0; index < 5; index++) {
        await send(`burst ${index}`, user);
        // Handled before the next arrives: none is waiting when the ban drops the user's queue.
        await platform.idle();
      }
      expect(repliesTo(user).at(-1)).toBe(t.youAreBanned('1 s'));
      await send('still there?', user);
      await platform.idle();
      expect(repliesTo(user).filter((text) => text === FIXED_ANSWER)).toHaveLength(4);

      await new Promise((resolve) => setTimeout(resolve, 1100));
      await send('back again', user);
      await fake.waitFor(() => repliesTo(user).filter((text) => text === FIXED_ANSWER).length === 5);
    } finally {
      await platform.settings.set('security.floodMessages', 50);
      await platform.settings.set('security.banLadderSeconds', [60, 600, 3600, 86_400]);
    }
  });

  it('bans a spammer for posting a link flood', async () => {
    const links = Array.from({ length: 8 }, (_, index) => `https://spam${index}.example`).join(' ');
    await send(`great offer ${links}`, 520);
    await platform.idle();
    expect(platform.security.bans.isBanned(520)).toBe(true);
    const [event] = await platform.security.events.list({ userId: 520, type: 'spam' });
    expect(event?.detail).toEqual({ kind: 'links', count: 8 });
    expect((await platform.security.bans.list()).find((ban) => ban.userId === 520)?.reason).toBe('spam: links');
  });

  it('lets an admin /ban and /unban, refuses non-admins, and never bans an admin', async () => {
    const target = 530;
    await send('/ban 530 10m rude', ADMIN);
    await platform.idle();
    expect(repliesTo(ADMIN).at(-1)).toBe(t.banned(target, '10 min'));
    await send('hello?', target);
    await platform.idle();
    expect(repliesTo(target)).toEqual([]);

    await send('/unban 530', 531);
    await send('/ban 7', 531);
    await platform.idle();
    expect(repliesTo(531)).toEqual([t.adminOnly, t.adminOnly]);
    expect(platform.security.bans.isBanned(target)).toBe(true);

    await send('/ban 7 permanent', ADMIN);
    await send('/unban 530', ADMIN);
    await send('/unban 530', ADMIN);
    await send('/ban', ADMIN);
    await send('/unban someone', ADMIN);
    await platform.idle();
    expect(repliesTo(ADMIN).slice(-5)).toEqual([
      t.cannotBanAdmin,
      t.unbanned(target),
      t.notBanned(target),
      t.banUsage,
      t.unbanUsage,
    ]);
    expect(platform.security.bans.isBanned(ADMIN)).toBe(false);

    await send('hello again', target);
    await platform.idle();
    expect(repliesTo(target)).toEqual([FIXED_ANSWER]);
  });

  it('bans the author of the message an admin replies to, permanently by default', async () => {
    const reply_to_message = {
      message_id: 1,
      date: 0,
      chat: { id: ADMIN, type: 'private', first_name: 'Ada' },
      from: { id: 540, is_bot: false, first_name: 'Spammer' },
      text: 'buy now',
    };
    await send('/ban scam', ADMIN, { reply_to_message });
    await platform.idle();
    expect(repliesTo(ADMIN).at(-1)).toBe(t.banned(540, undefined));
    expect(await platform.security.bans.list()).toContainEqual(
      expect.objectContaining({ userId: 540, until: null, reason: 'scam', by: `telegram:${ADMIN}` }),
    );
  });

  it('exempts admins from the rate limits and flood checks', async () => {
    for (let index = 0; index < 60; index++) await send('/status', ADMIN);
    await platform.idle();
    expect(repliesTo(ADMIN)).toHaveLength(60);
  });

  it('counts and records a forged webhook call, still answering 401', async () => {
    const count = async () => {
      const text = await singleMetric(platform, 'omnicore_webhook_forgeries_total');
      return Number(/omnicore_webhook_forgeries_total (\d+)/.exec(text)?.[1]);
    };
    const before = await count();
    const forged = `${WEBHOOK_SECRET}-guess`;
    expect((await platform.postUpdate(textUpdate('/start'), forged)).status).toBe(401);
    expect((await platform.postUpdate(textUpdate('/start'), null)).status).toBe(401);
    expect(await count()).toBe(before + 2);
    // Recorded when the forgery window (200 ms here) ends, one event per address and kind.
    const recorded = async () =>
      (await platform.security.events.list({ type: 'webhook_forgery' }))
        .map((event) => [event.ip, event.detail])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    await expect.poll(recorded, { timeout: 5000 }).toEqual([
      ['127.0.0.1', { secret: 'missing', count: 1 }],
      ['127.0.0.1', { secret: 'wrong', count: 1 }],
    ]);
    const events = await platform.security.events.list({ type: 'webhook_forgery' });
    expect(JSON.stringify(events)).not.toContain(forged);
  });
});
