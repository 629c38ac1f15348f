// Payments through the emulator with grammY's real Api: invoices in Telegram Stars checked as
// Telegram checks them, a user paying (pre_checkout_query, the bot's answer, successful_payment),
// invoice links, Stars subscriptions and their renewals, refunds of Stars payments (and the
// refunded_payment message that follows), payments whose update is lost, and the bot's Stars transactions.
import type { Message, Update, User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentOutcome } from '../../src/bot/emulator/payments.js';
import { type EmulatorServer, startEmulatorServer, telegramError } from '../support/emulator-server.js';

const ADA: User = { id: 501, is_bot: false, first_name: 'Ada' };
const STARS = { provider_token: '' };

let server: EmulatorServer;

beforeEach(async () => {
  server = await startEmulatorServer();
  server.emulator.sendUserMessage(ADA, '/buy');
  await server.takeUpdates();
});

afterEach(async () => {
  await server.close();
});

/** Waits for the update the payment sends the bot (the pre_checkout_query) and returns it. */
async function preCheckout(): Promise<NonNullable<Update['pre_checkout_query']>> {
  for (let tries = 0; tries < 100; tries++) {
    const found = (await server.takeUpdates()).find((update) => update.pre_checkout_query);
    if (found?.pre_checkout_query) return found.pre_checkout_query;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no pre_checkout_query');
}

async function starsInvoice(amount = 50): Promise<Message.InvoiceMessage> {
  return server.api.sendInvoice(
    ADA.id,
    'Coffee',
    'A cup for the team',
    'order-7',
    'XTR',
    [{ label: 'Coffee', amount }],
    STARS,
  );
}

describe('invoices', () => {
  it('sends an invoice in Stars as a message carrying it', async () => {
    const sent = await starsInvoice(50);
    expect(sent.invoice).toEqual({
      title: 'Coffee',
      description: 'A cup for the team',
      start_parameter: '',
      currency: 'XTR',
      total_amount: 50,
    });
    expect(sent.from?.id).toBe(server.emulator.botUser.id);
  });

  it('refuses what Telegram refuses in an invoice', async () => {
    const price = [{ label: 'Coffee', amount: 50 }];
    const refusals: [Promise<unknown>, string | RegExp][] = [
      [
        server.api.sendInvoice(ADA.id, 'Coffee', 'Cup', 'p', 'XTR', price, { provider_token: 'stripe-token' }),
        'Bad Request: PAYMENT_PROVIDER_INVALID',
      ],
      [
        server.api.sendInvoice(ADA.id, 'Coffee', 'Cup', 'p', 'USD', price, STARS),
        'Bad Request: PAYMENT_PROVIDER_INVALID',
      ],
      [
        server.api.sendInvoice(ADA.id, 'Coffee', 'Cup', 'p', 'XTR', [...price, ...price], STARS),
        'Bad Request: STARS_INVOICE_INVALID',
      ],
      [
        server.api.sendInvoice(ADA.id, 'Coffee', 'Cup', 'x'.repeat(129), 'XTR', price, STARS),
        'Bad Request: INVOICE_PAYLOAD_INVALID',
      ],
      [
        server.api.sendInvoice(ADA.id, 'Coffee', 'Cup', 'p', 'XTR', [{ label: 'Free', amount: 0 }], STARS),
        'Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID',
      ],
      [server.api.sendInvoice(ADA.id, 'x'.repeat(33), 'Cup', 'p', 'XTR', price, STARS), /can't parse title/],
      [server.api.sendInvoice(ADA.id, 'Coffee', 'Cup', 'p', 'XTR', [], STARS), /can't parse prices/],
    ];
    for (const [call, description] of refusals)
      await expect(call).rejects.toMatchObject(telegramError(400, description));
    expect(server.emulator.transcript(ADA.id).messages.filter((message) => 'invoice' in message)).toEqual([]);
  });
});

describe('paying', () => {
  it('asks the bot first, then sends it the successful payment with Telegram’s charge id', async () => {
    const invoice = await starsInvoice(50);
    const paying = server.emulator.payments.pay(ADA, invoice);
    const query = await preCheckout();
    expect(query).toMatchObject({
      from: { id: ADA.id },
      currency: 'XTR',
      total_amount: 50,
      invoice_payload: 'order-7',
    });
    expect(await server.api.answerPreCheckoutQuery(query.id, true)).toBe(true);

    const outcome = (await paying) as Extract<PaymentOutcome, { ok: true }>;
    expect(outcome.ok).toBe(true);
    expect(outcome.chargeId).toMatch(/^stx/);
    const [paid] = await server.takeUpdates();
    expect(paid?.message).toMatchObject({
      chat: { id: ADA.id },
      from: { id: ADA.id },
      successful_payment: {
        currency: 'XTR',
        total_amount: 50,
        invoice_payload: 'order-7',
        telegram_payment_charge_id: outcome.chargeId,
      },
    });
    await expect(server.api.answerPreCheckoutQuery(query.id, true)).rejects.toMatchObject(
      telegramError(400, /query ID is invalid/),
    );
  });

  it('ends the payment when the bot declines, and wants a reason for declining', async () => {
    const invoice = await starsInvoice();
    const paying = server.emulator.payments.pay(ADA, invoice);
    const query = await preCheckout();
    await expect(server.api.answerPreCheckoutQuery(query.id, false)).rejects.toMatchObject(
      telegramError(400, 'Bad Request: parameter "error_message" is required'),
    );
    await server.api.answerPreCheckoutQuery(query.id, false, { error_message: 'Sold out' });
    expect(await paying).toEqual({ ok: false, reason: 'declined', errorMessage: 'Sold out' });
    expect(await server.takeUpdates()).toEqual([]);
  });

  it('fails a payment the bot does not answer in time, and refuses its late answer', async () => {
    const invoice = await starsInvoice();
    const outcome = await server.emulator.payments.pay(ADA, invoice, { waitMs: 300 });
    expect(outcome).toEqual({ ok: false, reason: 'unanswered' });
    const [late] = await server.takeUpdates();
    await expect(server.api.answerPreCheckoutQuery(late?.pre_checkout_query?.id as string, true)).rejects.toMatchObject(
      telegramError(400, /query is too old/),
    );
  });

  it('pays an invoice link, refunds the Stars once, and lists both in the Stars transactions', async () => {
    const link = await server.api.createInvoiceLink('Pass', 'Monthly pass', 'pass-1', '', 'XTR', [
      { label: 'Pass', amount: 250 },
    ]);
    expect(link).toMatch(/^https:\/\/t\.me\/\$[\w-]+$/);
    const paying = server.emulator.payments.pay(ADA, link);
    await server.api.answerPreCheckoutQuery((await preCheckout()).id, true);
    const outcome = (await paying) as Extract<PaymentOutcome, { ok: true }>;
    expect(outcome.message.chat.id).toBe(ADA.id);

    await expect(server.api.refundStarPayment(999, outcome.chargeId)).rejects.toMatchObject(
      telegramError(400, 'Bad Request: CHARGE_NOT_FOUND'),
    );
    await server.takeUpdates();
    expect(await server.api.refundStarPayment(ADA.id, outcome.chargeId)).toBe(true);
    expect(server.emulator.payments.refunded(outcome.chargeId)).toBe(true);
    const [refunded] = await server.takeUpdates();
    expect(refunded?.message).toMatchObject({
      chat: { id: ADA.id },
      from: { id: ADA.id },
      refunded_payment: {
        currency: 'XTR',
        total_amount: 250,
        invoice_payload: 'pass-1',
        telegram_payment_charge_id: outcome.chargeId,
      },
    });
    await expect(server.api.refundStarPayment(ADA.id, outcome.chargeId)).rejects.toMatchObject(
      telegramError(400, 'Bad Request: CHARGE_ALREADY_REFUNDED'),
    );

    const { transactions } = await server.api.getStarTransactions();
    expect(transactions).toMatchObject([
      { id: outcome.chargeId, amount: 250, source: { type: 'user', user: { id: ADA.id }, invoice_payload: 'pass-1' } },
      { id: outcome.chargeId, amount: 250, receiver: { type: 'user', user: { id: ADA.id } } },
    ]);
  });
});

describe('Stars subscriptions', () => {
  const MONTH = 2_592_000;
  const price = (amount: number) => [{ label: 'Club', amount }];

  async function subscribe(): Promise<{ link: string; outcome: Extract<PaymentOutcome, { ok: true }> }> {
    const link = await server.api.createInvoiceLink('Club', 'Monthly club', 'club-1', '', 'XTR', price(100), {
      subscription_period: MONTH,
    });
    const paying = server.emulator.payments.pay(ADA, link);
    await server.api.answerPreCheckoutQuery((await preCheckout()).id, true);
    const outcome = await paying;
    if (!outcome.ok) throw new Error('not paid');
    return { link, outcome };
  }

  it('refuses a period other than 30 days, a currency other than Stars, and more than 10,000 Stars', async () => {
    const link = (currency: string, amount: number, period: number) =>
      server.api.createInvoiceLink(
        'Club',
        'Monthly club',
        'club-1',
        currency === 'XTR' ? '' : 'token',
        currency,
        price(amount),
        {
          subscription_period: period,
        },
      );
    await expect(link('XTR', 100, MONTH * 2)).rejects.toMatchObject(
      telegramError(400, 'Bad Request: SUBSCRIPTION_PERIOD_INVALID'),
    );
    await expect(link('USD', 100, MONTH)).rejects.toMatchObject(
      telegramError(400, 'Bad Request: SUBSCRIPTION_PERIOD_INVALID'),
    );
    await expect(link('XTR', 10_001, MONTH)).rejects.toMatchObject(
      telegramError(400, 'Bad Request: SUBSCRIPTION_AMOUNT_INVALID'),
    );
  });

  it('charges the first period after the pre-checkout, and each renewal without one', async () => {
    const { outcome } = await subscribe();
    const [first] = await server.takeUpdates();
    const started = first?.message?.successful_payment;
    expect(started).toMatchObject({ total_amount: 100, is_recurring: true, is_first_recurring: true });
    expect((started?.subscription_expiration_date ?? 0) - (first?.message?.date ?? 0)).toBe(MONTH);

    const renewal = server.emulator.payments.renew(outcome.chargeId);
    const [renewed] = await server.takeUpdates();
    expect(renewed?.pre_checkout_query).toBeUndefined();
    expect(renewed?.message?.successful_payment).toEqual({
      currency: 'XTR',
      total_amount: 100,
      invoice_payload: 'club-1',
      subscription_expiration_date: (started?.subscription_expiration_date ?? 0) + MONTH,
      is_recurring: true,
      telegram_payment_charge_id: renewal.chargeId,
      provider_payment_charge_id: expect.any(String),
    });
    // Renewing from any of its charges continues the same subscription.
    const third = server.emulator.payments.renew(outcome.chargeId);
    expect(third.message.successful_payment?.subscription_expiration_date).toBe(
      (started?.subscription_expiration_date ?? 0) + 2 * MONTH,
    );

    const { transactions } = await server.api.getStarTransactions();
    expect(transactions.map((transaction) => transaction.id)).toEqual([
      outcome.chargeId,
      renewal.chargeId,
      third.chargeId,
    ]);
    expect(transactions[0]?.source).toMatchObject({ type: 'user', subscription_period: MONTH });
  });

  it('renews nothing but a subscription', async () => {
    const invoice = await starsInvoice();
    const paying = server.emulator.payments.pay(ADA, invoice);
    await server.api.answerPreCheckoutQuery((await preCheckout()).id, true);
    const outcome = (await paying) as Extract<PaymentOutcome, { ok: true }>;
    expect(() => server.emulator.payments.renew(outcome.chargeId)).toThrow(/not a subscription charge/);
    expect(() => server.emulator.payments.renew('stx-unknown')).toThrow(/not a subscription charge/);
  });
});

describe('a payment whose update is lost', () => {
  it('charges the user and shows them the payment, but never reaches the bot', async () => {
    const invoice = await starsInvoice(70);
    const paying = server.emulator.payments.pay(ADA, invoice, { undelivered: true });
    await server.api.answerPreCheckoutQuery((await preCheckout()).id, true);
    const outcome = (await paying) as Extract<PaymentOutcome, { ok: true }>;
    expect(outcome.ok).toBe(true);
    expect(await server.takeUpdates()).toEqual([]);
    expect(server.emulator.transcript(ADA.id).messages.at(-1)?.successful_payment).toMatchObject({
      telegram_payment_charge_id: outcome.chargeId,
    });
    const { transactions } = await server.api.getStarTransactions();
    expect(transactions).toMatchObject([{ id: outcome.chargeId, amount: 70 }]);
  });
});
