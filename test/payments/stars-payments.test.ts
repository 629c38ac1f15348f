// Telegram Stars end to end, through the whole platform in emulator mode (the plugin test bed) on
// both databases: one invoice paid twice is two charges and twice the time; /refund gives Stars back
// once and takes back what they bought; a Stars subscription renews with new charges, each extending
// it; a charge whose update was lost is repaired by reconciliation from getStarTransactions, once.
import { rmSync } from 'node:fs';
import { Api } from 'grammy';
import { createPluginTestBed, type PaymentOutcome, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramPaymentsApi } from '../../src/bot/telegram-payments-api.js';
import { EventBus } from '../../src/core/events.js';
import { messages } from '../../src/core/i18n.js';
import { DAY_MS } from '../../src/payments/entitlements.js';
import { Payments } from '../../src/payments/payments.js';
import { STARS_SUBSCRIPTION_SECONDS } from '../../src/payments/telegram.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { starsPluginsDir } from '../support/stars-plugin.js';

const { en } = messages;
const ADMIN = { id: 9001, first_name: 'Admin' };

describe.each(DATABASE_KINDS)('Telegram Stars on %s', (kind) => {
  let database: TestDatabase;
  let pluginsDir: string;
  let bed: PluginTestBed;
  let nextUser = 4000;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    pluginsDir = starsPluginsDir(`payments-${kind}`);
    bed = await createPluginTestBed({
      pluginsDir,
      enable: { premium: true },
      env: {
        ADMIN_TELEGRAM_IDS: String(ADMIN.id),
        TELEGRAM_PAYMENT_PROVIDER_TOKEN: '284685063:TEST:stars-test',
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      },
    });
    bed.push('/start', ADMIN);
    await bed.pop({ userId: ADMIN.id });
  });

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  const db = () => bed.platform.database.db;

  const newUser = () => ({ id: ++nextUser, first_name: 'Payer' });

  /** The user asks for something with `command` and gets the bot's next message. */
  async function ask(user: { id: number }, command: string) {
    bed.push(command, user);
    return bed.pop({ userId: user.id });
  }

  async function paid(outcome: Promise<PaymentOutcome>): Promise<string> {
    const result = await outcome;
    if (!result.ok) throw new Error(`the payment did not go through: ${JSON.stringify(result)}`);
    return result.chargeId;
  }

  /** The user buys with `command` and is thanked; the charge id. */
  async function buy(user: { id: number }, command: string, thanks: string): Promise<string> {
    const chargeId = await paid(bed.pay(await ask(user, command), { user }));
    expect(await bed.popText({ userId: user.id })).toBe(thanks);
    return chargeId;
  }

  const paymentsOf = (userId: number) =>
    db().selectFrom('payments').selectAll().where('user_id', '=', userId).orderBy('id').execute();

  const grantsOf = (userId: number) =>
    db().selectFrom('entitlements').selectAll().where('user_id', '=', userId).orderBy('id').execute();

  /** How long the user's live grants of premium cover, from the first one's start, in days. */
  async function premiumDays(userId: number): Promise<number> {
    const live = (await grantsOf(userId)).filter((grant) => grant.revoked_at === null);
    if (live.length === 0) return 0;
    const starts = Math.min(...live.map((grant) => Number(grant.starts_at)));
    const ends = Math.max(...live.map((grant) => Number(grant.ends_at)));
    return (ends - starts) / DAY_MS;
  }

  /** The ledger's id for a charge, once the bot has handled its successful_payment. */
  async function paymentIdOf(chargeId: string): Promise<number> {
    await bed.idle();
    const row = await db()
      .selectFrom('payments')
      .select('id')
      .where('provider_id', '=', chargeId)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  describe('one invoice paid twice', () => {
    it('records both charges and extends the entitlement twice', async () => {
      const user = newUser();
      const invoice = await ask(user, '/buy');
      const first = await paid(bed.pay(invoice, { user }));
      const second = await paid(bed.pay(invoice, { user }));
      expect(second).not.toBe(first);
      await bed.idle();
      const payments = await paymentsOf(user.id);
      expect(payments.map((row) => [row.provider, row.provider_id, row.status, Number(row.amount)])).toEqual([
        ['stars', first, 'paid', 50],
        ['stars', second, 'paid', 50],
      ]);
      expect(await premiumDays(user.id)).toBe(60);
      expect(await bed.popText({ userId: user.id })).toBe('Thank you for 50 XTR');
      expect(await bed.popText({ userId: user.id })).toBe('Thank you for 50 XTR');
    });
  });

  describe('/refund', () => {
    it('refunds the Stars once, revokes what they bought, and says so when asked again', async () => {
      const user = newUser();
      const chargeId = await buy(user, '/buy', 'Thank you for 50 XTR');
      expect(await ask(user, '/secret')).toMatchObject({ text: 'the secret' });
      const paymentId = await paymentIdOf(chargeId);

      expect(await ask(ADMIN, `/refund ${paymentId}`)).toMatchObject({
        text: en.refund.done(paymentId, '50 ⭐', user.id),
      });
      expect(bed.emulator.payments.refunded(chargeId)).toBe(true);
      // Telegram tells the bot too (refunded_payment): the ledger takes that report as the same refund.
      const service = bed.emulator.transcript(user.id).messages.find((message) => 'refunded_payment' in message);
      expect(service?.refunded_payment).toMatchObject({ telegram_payment_charge_id: chargeId, total_amount: 50 });
      await bed.idle();
      const [payment] = await paymentsOf(user.id);
      expect(payment).toMatchObject({ status: 'refunded' });
      expect(Number(payment?.refunded_amount)).toBe(50);
      const events = await db()
        .selectFrom('payment_events')
        .select(['event_id', 'type'])
        .where('payment_id', '=', paymentId)
        .orderBy('id')
        .execute();
      expect(events.map((event) => event.event_id)).toEqual([chargeId, `refund:${chargeId}`]);
      expect(await premiumDays(user.id)).toBe(0);
      expect(await ask(user, '/secret')).toMatchObject({ text: en.payments.needs('premium') });

      expect(await ask(ADMIN, `/refund ${paymentId}`)).toMatchObject({ text: en.refund.already(paymentId) });
      const audit = await db()
        .selectFrom('audit_log')
        .select(['actor', 'action'])
        .where('target', '=', `payment:${paymentId}`)
        .orderBy('id')
        .execute();
      expect(audit).toEqual([
        { actor: 'payments', action: 'payment.paid' },
        { actor: expect.stringMatching(/^(telegram:9001|payments)$/), action: 'payment.refunded' },
      ]);
    });

    it('answers a wrong, unknown or unrefundable payment, and anyone but an admin, with why', async () => {
      expect(await ask(ADMIN, '/refund')).toMatchObject({ text: en.refund.usage });
      expect(await ask(ADMIN, '/refund twelve')).toMatchObject({ text: en.refund.usage });
      expect(await ask(ADMIN, '/refund 987654')).toMatchObject({ text: en.refund.notFound(987654) });
      const user = newUser();
      expect(await ask(user, '/refund 1')).toMatchObject({ text: en.adminOnly });

      // Money through a provider token is refunded with that provider (Stripe's dashboard), not here.
      const paymentId = await paymentIdOf(await buy(user, '/donate', 'Thank you for 499 USD'));
      const answer = await ask(ADMIN, `/refund ${paymentId}`);
      expect(answer.text).toMatch(new RegExp(`^Payment ${paymentId} cannot be refunded: .*provider's dashboard`));
      expect(await paymentsOf(user.id)).toMatchObject([{ status: 'paid', currency: 'USD' }]);
    });
  });

  describe('a Stars subscription', () => {
    it('is sold by a 30-day link, and each renewal is a new charge extending it', async () => {
      const user = newUser();
      const link = (await ask(user, '/subscribe')).text ?? '';
      expect(link).toMatch(/^https:\/\/t\.me\/\$/);
      const first = await bed.pay(link, { user });
      if (!first.ok) throw new Error('the subscription was not paid');
      const started = first.message.successful_payment;
      expect(started).toMatchObject({ total_amount: 100, is_first_recurring: true, is_recurring: true });
      expect((started?.subscription_expiration_date ?? 0) - first.message.date).toBe(STARS_SUBSCRIPTION_SECONDS);
      await bed.idle();
      expect(await premiumDays(user.id)).toBe(30);

      const renewal = bed.renew(first.chargeId);
      expect(renewal.chargeId).not.toBe(first.chargeId);
      expect(renewal.message.successful_payment).toMatchObject({ is_recurring: true, total_amount: 100 });
      expect(renewal.message.successful_payment?.is_first_recurring).toBeUndefined();
      expect(renewal.message.successful_payment?.subscription_expiration_date).toBe(
        (started?.subscription_expiration_date ?? 0) + STARS_SUBSCRIPTION_SECONDS,
      );
      await bed.idle();
      expect(await premiumDays(user.id)).toBe(60);
      bed.renew(renewal.chargeId);
      await bed.idle();
      expect(await premiumDays(user.id)).toBe(90);

      const payments = await paymentsOf(user.id);
      expect(payments).toHaveLength(3);
      expect(new Set(payments.map((row) => row.subscription_id)).size).toBe(1);
      expect(payments[0]?.subscription_id).not.toBeNull();
      expect(payments.map((row) => row.product)).toEqual(Array(3).fill('premium/monthly'));
    });

    it('cannot be renewed from a one-off charge', async () => {
      const user = newUser();
      const chargeId = await paid(bed.pay(await ask(user, '/buy'), { user }));
      expect(() => bed.renew(chargeId)).toThrow(/not a subscription charge/);
    });
  });

  describe("the admin panel's test chat", () => {
    it('pays an invoice with its Pay button, and answers a declined one and a message that is none', async () => {
      const admin = await bed.admin();
      const me = (await admin.get('/api/admin/chat')).json<{ userId: number }>().userId;
      /** The admin writes `text` in the test chat; the bot's next message there. */
      const say = async (text: string) => {
        const after = bed.emulator.lastEventSeq;
        expect((await admin.send('POST', '/api/admin/chat/messages', { text })).status).toBe(200);
        const { events } = (await admin.get(`/api/admin/chat/events?after=${after}&waitMs=5000`)).json<{
          events: { type: string; message: { message_id: number; text?: string; invoice?: object } }[];
        }>();
        const message = events.find((event) => event.type === 'message')?.message;
        if (!message) throw new Error(`no answer to ${text}`);
        return message;
      };
      const payButton = (messageId: number) => admin.send('POST', '/api/admin/chat/payments', { messageId });

      const invoice = await say('/buy');
      expect(invoice.invoice).toMatchObject({ title: 'Premium', total_amount: 50, currency: 'XTR' });
      const paidNow = await payButton(invoice.message_id);
      expect(paidNow.status).toBe(200);
      const outcome = paidNow.json<{ ok: boolean; chargeId: string; messageId: number }>();
      expect(outcome).toMatchObject({ ok: true, chargeId: expect.stringMatching(/^stx/) });
      const shown = bed.emulator.transcript(me).messages.find((m) => m.message_id === outcome.messageId);
      expect(shown?.successful_payment?.telegram_payment_charge_id).toBe(outcome.chargeId);
      await bed.idle();
      expect(await paymentsOf(me)).toMatchObject([{ provider_id: outcome.chargeId, status: 'paid' }]);
      expect(await premiumDays(me)).toBe(30);

      const raw = await say('/raw');
      expect((await payButton(raw.message_id)).json()).toEqual({
        ok: false,
        reason: 'declined',
        errorMessage: en.payments.invalid,
      });
      const notAnInvoice = await payButton((await say('/secret')).message_id);
      expect(notAnInvoice.status).toBe(400);
      expect(notAnInvoice.json()).toMatchObject({ error: { message: expect.stringContaining('no such invoice') } });
    });
  });

  describe('reconciliation', () => {
    /** The platform's ledger, with the Stars provider reaching the emulator over HTTP as the bot does. */
    const payments = () =>
      new Payments({
        db: db(),
        events: new EventBus(),
        telegram: telegramPaymentsApi(new Api(bed.emulator.token, { apiRoot: `${bed.platform.url}/emulator` })),
      });

    it('repairs a charge whose update was lost, with its entitlement, once', async () => {
      const since = Date.now() - 1000;
      const user = newUser();
      const chargeId = await paid(bed.pay(await ask(user, '/buy'), { user, undelivered: true }));
      await bed.idle();
      expect(await paymentsOf(user.id)).toEqual([]);
      expect(await premiumDays(user.id)).toBe(0);

      const [first] = await payments().reconcile(since);
      expect(first).toMatchObject({ provider: 'stars', repaired: 1 });
      expect(first?.seen).toBeGreaterThanOrEqual(1);
      expect(await paymentsOf(user.id)).toMatchObject([
        { provider_id: chargeId, status: 'paid', product: 'premium/premium' },
      ]);
      expect(await premiumDays(user.id)).toBe(30);
      expect(await ask(user, '/secret')).toMatchObject({ text: 'the secret' });

      const [second] = await payments().reconcile(since);
      expect(second).toMatchObject({ provider: 'stars', seen: first?.seen, repaired: 0 });
      expect(await paymentsOf(user.id)).toHaveLength(1);
      expect(await grantsOf(user.id)).toHaveLength(1);
    });

    it('repairs a lost renewal of a subscription into the same subscription', async () => {
      const since = Date.now() - 1000;
      const user = newUser();
      const firstCharge = await paid(bed.pay((await ask(user, '/subscribe')).text ?? '', { user }));
      const renewal = bed.renew(firstCharge, { undelivered: true });
      await bed.idle();
      expect(await paymentsOf(user.id)).toHaveLength(1);
      const [report] = await payments().reconcile(since);
      expect(report?.repaired).toBe(1);
      const rows = await paymentsOf(user.id);
      expect(rows.map((row) => row.provider_id)).toEqual([firstCharge, renewal.chargeId]);
      expect(rows[1]?.subscription_id).toBe(rows[0]?.subscription_id);
      expect(await premiumDays(user.id)).toBe(60);
    });
  });
});
