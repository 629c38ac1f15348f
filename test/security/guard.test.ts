// The security middleware in a grammY bot with the Bot API answered in-process: payments pass even
// for banned users, Telegram's shared senders are judged per chat, busy groups get no notice, and
// a settings change takes effect on the next update.
import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../../src/bot/context.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SettingsStore } from '../../src/db/settings-store.js';
import { createMetrics } from '../../src/ops/metrics.js';
import { createSecurity, type Security } from '../../src/ops/security/security.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { textUpdate } from '../support/updates.js';

const ME = { id: 1, is_bot: true, first_name: 'Bot', username: 'test_bot' } as UserFromGetMe;
const ANONYMOUS_ADMIN = 1_087_968_824;

describe('security middleware', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let settings: SettingsStore;
  let security: Security;
  const bot = new Bot<BotContext>('1:test', { botInfo: ME });
  const handled: Update[] = [];
  const sent: { chat: number; text: string }[] = [];

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
    });
    bot.api.config.use(async (_prev, method, payload) => {
      const { chat_id, text } = payload as { chat_id: number; text: string };
      if (method === 'sendMessage') sent.push({ chat: chat_id, text });
      return { ok: true, result: true } as never;
    });
    bot.use(security.middleware);
    bot.use((ctx) => {
      handled.push(ctx.update);
    });
  });

  afterAll(async () => {
    await security.stop();
    await handle.close();
    await database.dispose();
  });

  const handles = async (update: Record<string, unknown>) => {
    const before = handled.length;
    await bot.handleUpdate(update as unknown as Update);
    return handled.length > before;
  };

  it("hands on a banned user's payment updates, and drops the rest", async () => {
    await security.bans.ban(300, { reason: 'test', by: 'test' });
    const from = { id: 300, is_bot: false, first_name: 'Payer' };
    const checkout = {
      update_id: 1,
      pre_checkout_query: { id: 'q1', from, currency: 'XTR', total_amount: 5, invoice_payload: 'order-1' },
    };
    const paid = textUpdate('', { userId: 300 });
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
    expect(await handles(checkout)).toBe(true);
    expect(await handles(paid)).toBe(true);
    expect(await handles(textUpdate('hi', { userId: 300 }))).toBe(false);
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
          results.push(await handles(update));
        }
      }
      // Five per group pass, the sixth is over that group's limit; nobody is banned, nobody told off.
      expect(results).toEqual([true, true, true, true, true, false, true, true, true, true, true, false]);
      expect(security.bans.isBanned(ANONYMOUS_ADMIN)).toBe(false);
      expect(sent.filter((message) => message.chat < 0)).toEqual([]);
      const events = await security.events.list({ type: 'rate_limited' });
      expect(events.map((event) => event.detail.scope)).toEqual(['chat', 'chat']);
    } finally {
      await settings.set('security.floodMessages', 50);
      await settings.set('security.chatRateLimit', 60);
    }
  });

  it('applies a changed rate limit from the next update', async () => {
    await settings.set('security.userRateLimit', 2);
    try {
      const results: boolean[] = [];
      for (let index = 0; index < 4; index++) results.push(await handles(textUpdate(`n${index}`, { userId: 310 })));
      expect(results).toEqual([true, true, false, false]);
      expect(sent.filter((message) => message.chat === 310)).toHaveLength(1);
    } finally {
      await settings.set('security.userRateLimit', 30);
    }
  });

  it('switched off, checks nothing but the bans', async () => {
    await settings.set('security.enabled', false);
    try {
      const spam = `https://a.ex https://b.ex https://c.ex https://d.ex https://e.ex https://f.ex`;
      expect(await handles(textUpdate(spam, { userId: 320 }))).toBe(true);
      expect(security.bans.isBanned(320)).toBe(false);
      expect(await handles(textUpdate('hello', { userId: 300 }))).toBe(false);
    } finally {
      await settings.set('security.enabled', true);
    }
    const spam = `https://a.ex https://b.ex https://c.ex https://d.ex https://e.ex https://f.ex`;
    expect(await handles(textUpdate(spam, { userId: 321 }))).toBe(false);
    expect(security.bans.isBanned(321)).toBe(true);
  });
});
