// NOWPayments through the real server on both databases: a checkout link makes an invoice for the
// product's fiat price and records a pending payment; a signed IPN `finished` credits it once (by
// IPN, by the poller, or both at once) and grants the product; confirming, partially paid, expired
// and money after expiry are recorded and grant nothing; an overpayment is credited with a note; a
// refund reported for an unpaid invoice, and IPNs for invoices we never made, change nothing.
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/main.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { postIpn, signedIpn } from '../support/fake-nowpayments.js';
import { nowPaymentsInvoice, useNowPaymentsPlatform } from '../support/nowpayments-platform.js';
import { grants, openShop } from '../support/stripe-shop.js';

const DAY = 86_400_000;

async function statuses(platform: Platform, userId: number): Promise<string[]> {
  return (await platform.payments.ledger.ofUser(userId)).map((payment) => payment.status);
}

async function eventIds(platform: Platform, invoiceId: string): Promise<string[]> {
  const rows = await platform.database.db
    .selectFrom('payment_events')
    .select('event_id')
    .where('provider', '=', 'nowpayments')
    .where('event_id', 'like', `${invoiceId}:%`)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.event_id);
}

describe.each(DATABASE_KINDS)('NOWPayments checkout on %s', (kind) => {
  const fixture = useNowPaymentsPlatform(kind);

  it('makes an invoice for the fiat price, written as a decimal, and records the payment pending', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 901);

    const [created] = nowpayments.requestsTo('POST', '/v1/invoice').slice(-1);
    expect(created?.apiKey).toBe('NP0TEST-FAKE000-KEY0000-0000001');
    // The price is the decimal's own digits, a JSON number as their API reads it.
    expect(created?.body).toMatch(/^\{"price_amount":4\.99,/);
    expect(JSON.parse(created?.body ?? '')).toEqual({
      price_amount: 4.99,
      price_currency: 'usd',
      order_id: '901|o1|shop|premium|USD|499|premium|30',
      order_description: 'Premium',
      ipn_callback_url: 'https://bot.example.test/payments/nowpayments/webhook',
      success_url: 'https://t.me/test_bot',
      cancel_url: 'https://t.me/test_bot',
    });
    expect(await platform.payments.ledger.ofUser(901)).toMatchObject([
      { provider: 'nowpayments', providerId: invoiceId, status: 'pending', amount: 499, currency: 'USD' },
    ]);
    // A price of 3.00 EUR (the club, one period) is 3.00, not 3 or 2.9999…
    await nowPaymentsInvoice(platform, 901, 'club');
    expect(nowpayments.requestsTo('POST', '/v1/invoice').at(-1)?.body).toMatch(
      /^\{"price_amount":3\.00,"price_currency":"eur"/,
    );
  });

  it('credits a signed finished IPN once, however often it comes, and grants the product', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 902);
    const delivery = signedIpn(nowpayments.pay(invoiceId, 'finished'));

    const answers = await Promise.all(Array.from({ length: 3 }, () => postIpn(platform.url, delivery)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(await answers[0]?.json()).toEqual({ received: true });
    expect((await postIpn(platform.url, delivery)).status).toBe(200);

    expect(await platform.payments.ledger.ofUser(902)).toMatchObject([
      { status: 'paid', amount: 499, currency: 'USD' },
    ]);
    const [granted] = await grants(platform, 902);
    expect(granted).toMatchObject({ key: 'premium' });
    expect(Number(granted?.ends_at) - Number(granted?.starts_at)).toBe(30 * DAY);
    expect(await grants(platform, 902)).toHaveLength(1);
    expect(await eventIds(platform, invoiceId)).toEqual([`${invoiceId}:paid`]);
    // The panel's payment page shows the provider's own payload: coin, amounts, transaction.
    const payment = (await platform.payments.ledger.find('nowpayments', invoiceId)) as { id: number };
    const events = await platform.payments.ledger.events(payment.id);
    expect(events.at(-1)?.payload).toMatchObject({ pay_currency: 'btc', payin_hash: expect.any(String) });
  });

  it('credits once when the IPN and the poller report the same payment at once', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 903);
    const delivery = signedIpn(nowpayments.pay(invoiceId, 'finished'));

    const [answer, changed] = await Promise.all([
      postIpn(platform.url, delivery),
      platform.payments.poll('nowpayments', DAY),
    ]);
    expect(answer.status).toBe(200);
    expect(changed).toBeLessThanOrEqual(1);
    expect(await statuses(platform, 903)).toEqual(['paid']);
    expect(await grants(platform, 903)).toHaveLength(1);
    expect(await eventIds(platform, invoiceId)).toEqual([`${invoiceId}:paid`]);
    expect(nowpayments.requestsTo('GET', '/v1/payment/').some((request) => request.query.invoiceId === invoiceId)).toBe(
      true,
    );
  });

  it('records waiting as nothing, confirming and a partial payment, granting nothing until the rest comes', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 904);
    for (const status of ['waiting', 'confirming', 'confirmed', 'sending']) {
      expect((await postIpn(platform.url, signedIpn(nowpayments.pay(invoiceId, status)))).status).toBe(200);
    }
    expect(await statuses(platform, 904)).toEqual(['confirming']);
    const short = nowpayments.pay(invoiceId, 'partially_paid', { actuallyPaid: 0.0001 });
    expect((await postIpn(platform.url, signedIpn(short))).status).toBe(200);
    expect(await statuses(platform, 904)).toEqual(['underpaid']);
    expect(await platform.payments.has(904, 'premium')).toBe(false);
    // What came is in the provider's payload the panel shows (the ledger keeps no note for underpaid).
    const payment = (await platform.payments.ledger.find('nowpayments', invoiceId)) as { id: number };
    expect((await platform.payments.ledger.events(payment.id)).at(-1)?.payload).toMatchObject({
      payment_status: 'partially_paid',
      actually_paid: 0.0001,
      pay_amount: 0.00012345,
    });

    // The rest arrives: finished.
    await postIpn(platform.url, signedIpn(nowpayments.pay(invoiceId, 'finished')));
    expect(await statuses(platform, 904)).toEqual(['paid']);
    expect(await platform.payments.has(904, 'premium')).toBe(true);
    expect(await eventIds(platform, invoiceId)).toEqual([
      `${invoiceId}:confirming`,
      `${invoiceId}:underpaid`,
      `${invoiceId}:paid`,
    ]);
  });

  it('closes an expired invoice, records money after it as late, and grants nothing', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 905);
    await postIpn(platform.url, signedIpn(nowpayments.pay(invoiceId, 'expired')));
    expect(await statuses(platform, 905)).toEqual(['expired']);
    const late = await postIpn(platform.url, signedIpn(nowpayments.pay(invoiceId, 'finished')));
    expect(late.status).toBe(200);
    expect(await statuses(platform, 905)).toEqual(['late']);
    expect(await grants(platform, 905)).toHaveLength(0);
  });

  it('credits an overpayment with a note saying what came', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 906);
    await postIpn(platform.url, signedIpn(nowpayments.pay(invoiceId, 'finished', { actuallyPaid: 0.0002 })));
    expect(await platform.payments.ledger.ofUser(906)).toMatchObject([{ status: 'paid', amount: 499 }]);
    const [paid] = await platform.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'payment.paid')
      .where('details', 'like', '%overpaid%')
      .execute();
    expect(paid?.details).toContain('overpaid: 0.0002 btc came against 0.00012345 btc asked');
  });

  it('refunds in full a paid invoice NOWPayments reports refunded, and changes nothing on an unpaid one', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const paidInvoice = await nowPaymentsInvoice(platform, 907);
    await postIpn(platform.url, signedIpn(nowpayments.pay(paidInvoice, 'finished')));
    await postIpn(platform.url, signedIpn(nowpayments.pay(paidInvoice, 'refunded')));
    expect(await platform.payments.ledger.ofUser(907)).toMatchObject([{ status: 'refunded', refundedAmount: 499 }]);
    expect(await platform.payments.has(907, 'premium')).toBe(false);

    const unpaid = await nowPaymentsInvoice(platform, 908);
    expect((await postIpn(platform.url, signedIpn(nowpayments.pay(unpaid, 'refunded')))).status).toBe(200);
    expect(await platform.payments.ledger.ofUser(908)).toMatchObject([{ status: 'pending', refundedAmount: 0 }]);
    expect(await eventIds(platform, unpaid)).toEqual([`${unpaid}:refunded`]);
  });

  it('answers 200 to a finished IPN for an invoice it never made, crediting nothing', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 909);
    const stranger = { ...nowpayments.pay(invoiceId, 'finished'), invoice_id: 4_999_999_999 };
    expect((await postIpn(platform.url, signedIpn(stranger))).status).toBe(200);
    expect(await platform.payments.ledger.find('nowpayments', '4999999999')).toBeUndefined();
    expect(await statuses(platform, 909)).toEqual(['pending']);
    expect(await grants(platform, 909)).toHaveLength(0);
  });
});
