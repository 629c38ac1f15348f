// The security layer's judgement at arrival, on raw updates: payments pass even for banned users,
// Telegram's shared senders are judged per chat, busy groups get no notice, a settings change takes
// effect on the next update, a banned or limited user's waiting updates are dropped (payments kept),
// a notice that cannot be sent never fails the judgement, and the handle-time check stops a ban
// that arrived while an update waited.
import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/core/context.js';
import { messages } from '../../src/core/i18n.js';
import { createMetrics } from '../../src/core/metrics.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { createSecurity, type Security } from '../../src/ops/security/security.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { textUpdate } from '../support/updates.js';

const ME = { id: 1, is_bot: true, first_name: 'Bot', username: 'test_bot' } as UserFromGetMe;
const ANONYMOUS_ADMIN = 1_087_968_824;
const SPAM = `https://a.ex https://b.ex https://c.ex https://d.ex https://e.ex https://f.ex`;

function checkoutUpdate(userId: number): Update {
  const from = { id: userId, is_bot: false, first_name: 'Payer' };
  return {
    update_id: 1,
    pre_checkout_query: { id: 'q1', from, currency: 'XTR', total_amount: 5, invoice_payload: 'order-1' },
  } as Update;
}

function paidUpdate(userId: number): Update {
  const paid = textUpdate('', { userId });
  Object.assign(paid.message as object, {
    text: undefined,
    successful_payment: {
      currency: 'XTR',
      total_amount: 5,
      invoice_payload: 'order-1',
      telegram_payment_charge_id: 'c',
      provider_payment_charge_id: 'p',
    },
  });
  return paid as unknown as Update;
}

describe('security judgement at arrival', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let settings: SettingsStore;
  let security: Security;
  const sent: { chat: number; text: string }[] = [];
  /** Updates "waiting in the queue", and what the security layer asked to drop from it. */
  let waiting: Update[] = [];
  const dropped: { updateId: number; reason: string }[] = [];
  let notifyFails = false;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    await migrateToLatest(handle);
    settings = new SettingsStore(handle.db);
    security = await createSecurity({
      db: handle.db,
      settings,
      metrics: createMetrics(),
      log: pino({ level: 'silent' }),
      adminIds: [7],
      notify: async (chat, text) => {
        if (notifyFails) throw new Error('Bot API unreachable');
        sent.push({ chat, text });
      },
      dropWaiting: (matches, reason) => {
        const [gone, kept] = [waiting.filter(matches), waiting.filter((update) => !matches(update))];
        waiting = kept;
        dropped.push(...gone.map((update) => ({ updateId: update.update_id, reason })));
        return gone.length;
      },
    });
  });

  afterAll(async () => {
    await security.stop();
    await handle.close();
    await database.dispose();
  });

  beforeEach(() => {
    waiting = [];
    dropped.length = 0;
  });

  const admits = async (update: Record<string, unknown> | Update) => {
    const verdict = await security.admit(update as Update);
    await security.idle();
    return verdict.admitted;
  };

  it("admits a banned user's payment updates, and refuses the rest as banned", async () => {
    await security.bans.ban(300, { reason: 'test', by: 'test' });
    expect(await admits(checkoutUpdate(300))).toBe(true);
    expect(await admits(paidUpdate(300))).toBe(true);
    expect(await security.admit(textUpdate('hi', { userId: 300 }) as unknown as Update)).toEqual({
      admitted: false,
      reason: 'banned',
    });
  });

  it("judges Telegram's shared senders per chat, never as one user to ban", async () => {
    await settings.set('security.floodMessages', 3);
    await settings.set('security.chatRateLimit', 5);
    try {
      const results: boolean[] = [];
      for (const chatId of [-1001, -1002]) {
        for (let index = 0; index < 6; index++) {
          const update = textUpdate(`announcement ${index}`, { userId: ANONYMOUS_ADMIN, chatId });
          Object.assign((update.message as { chat: object }).chat, { type: 'supergroup', title: 'Group' });
          results.push(await admits(update));
        }
      }
      // Five per group pass, the sixth is over that group's limit; nobody is banned, nobody told off.
      expect(results).toEqual([true, true, true, true, true, false, true, true, true, true, true, false]);
      expect(security.bans.isBanned(ANONYMOUS_ADMIN)).toBe(false);
      expect(sent.filter((message) => message.chat < 0)).toEqual([]);
      expect(dropped).toEqual([]);
      const events = await security.events.list({ type: 'rate_limited' });
      expect(events.map((event) => event.detail.scope)).toEqual(['chat', 'chat']);
    } finally {
      await settings.set('security.floodMessages', 50);
      await settings.set('security.chatRateLimit', 60);
    }
  });

  it('applies a changed rate limit from the next update, and drops what the user has waiting', async () => {
    await settings.set('security.userRateLimit', 2);
    try {
      const queued = [textUpdate('n0', { userId: 310 }), textUpdate('n1', { userId: 310 })];
      const results: boolean[] = [];
      for (const update of queued) {
        results.push(await admits(update));
        waiting.push(update as unknown as Update);
      }
      const other = textUpdate('someone else', { userId: 311 }) as unknown as Update;
      waiting.push(other, checkoutUpdate(310));
      for (let index = 2; index < 4; index++) results.push(await admits(textUpdate(`n${index}`, { userId: 310 })));
      expect(results).toEqual([true, true, false, false]);
      expect(sent.filter((message) => message.chat === 310)).toEqual([{ chat: 310, text: messages.en.slowDown }]);
      // Once, at the first refusal: the user's text updates go, their payment and others' stay.
      expect(dropped).toEqual(queued.map((update) => ({ updateId: update.update_id, reason: 'rate_limited' })));
      expect(waiting).toEqual([other, checkoutUpdate(310)]);
    } finally {
      await settings.set('security.userRateLimit', 30);
    }
  });

  it('drops the waiting updates of a user as they are banned, by an admin or for a flood', async () => {
    const queued = textUpdate('still queued', { userId: 340 }) as unknown as Update;
    waiting.push(queued, checkoutUpdate(340));
    await security.bans.ban(340, { until: Date.now() + 60_000, reason: 'rude', by: 'telegram:7' });
    expect(dropped).toEqual([{ updateId: queued.update_id, reason: 'banned' }]);
    expect(waiting).toEqual([checkoutUpdate(340)]);

    dropped.length = 0;
    const early = textUpdate('early', { userId: 341 });
    expect(await admits(early)).toBe(true);
    waiting.push(early as unknown as Update);
    expect(await admits(textUpdate(SPAM, { userId: 341 }))).toBe(false);
    expect(dropped).toEqual([{ updateId: early.update_id, reason: 'banned' }]);
    expect(sent.at(-1)).toEqual({ chat: 341, text: messages.en.youAreBanned('1 min') });
  });

  it('switched off, checks nothing but the bans', async () => {
    await settings.set('security.enabled', false);
    try {
      expect(await admits(textUpdate(SPAM, { userId: 320 }))).toBe(true);
      expect(security.bans.isBanned(320)).toBe(false);
      expect(await admits(textUpdate('hello', { userId: 300 }))).toBe(false);
    } finally {
      await settings.set('security.enabled', true);
    }
    expect(await admits(textUpdate(SPAM, { userId: 321 }))).toBe(false);
    expect(security.bans.isBanned(321)).toBe(true);
  });

  it('bans even when the notice cannot be sent', async () => {
    notifyFails = true;
    try {
      expect(await security.admit(textUpdate(SPAM, { userId: 330 }) as unknown as Update)).toEqual({
        admitted: false,
        reason: 'links',
      });
      await security.idle();
      expect(security.bans.isBanned(330)).toBe(true);
    } finally {
      notifyFails = false;
    }
  });

  it('at handling, drops the update of a user banned while it waited, but never a payment', async () => {
    const bot = new Bot<BotContext>('1:test', { botInfo: ME });
    const handled: Update[] = [];
    bot.use(security.middleware);
    bot.use((ctx) => {
      handled.push(ctx.update);
    });
    const waited = textUpdate('queued before the ban', { userId: 350 }) as unknown as Update;
    expect(await admits(waited)).toBe(true);
    await security.bans.ban(350, { reason: 'late', by: 'test' });
    await bot.handleUpdate(waited);
    await bot.handleUpdate(checkoutUpdate(350));
    await bot.handleUpdate(textUpdate('an admin', { userId: 7 }) as unknown as Update);
    expect(handled.map((update) => update.update_id)).toEqual([1, expect.any(Number)]);
    expect(handled[1]?.message?.from?.id).toBe(7);
  });
});
