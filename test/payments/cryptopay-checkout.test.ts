// Crypto Pay through the real server on both databases: a checkout link makes a fiat invoice for the
// product's price and records it pending; a signed invoice_paid update credits it once (however often
// it comes, and when the poller sees it at the same time) with its entitlement; an invoice the
// poller finds expired is closed, and money for it afterwards is recorded late and grants nothing; a
// paid update for an invoice never opened here is answered 200, credits nothing and is a security
// event; the status poller alone, with no webhook, takes a payment to paid.
import { describe, expect, it } from 'vitest';
import { cryptoPayEvents, cryptoPayInvoice, useCryptoPayPlatform } from '../support/cryptopay-platform.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { postCryptoPayWebhook, signedCryptoPayDelivery } from '../support/fake-cryptopay.js';
import { grants } from '../support/stripe-shop.js';

const DAY_MS = 86_400_000;

describe.each(DATABASE_KINDS)('Crypto Pay checkout on %s', (kind) => {
  const fixture = useCryptoPayPlatform(kind);

  it('makes a fiat invoice for the price and records the payment pending', async () => {
    const { platform, cryptopay } = fixture;
    const { url, invoiceId } = await cryptoPayInvoice(platform, 701);

    const [created] = cryptopay.requestsTo('createInvoice');
    expect(created?.token).toBe(cryptopay.token);
    expect(created?.params).toEqual({
      currency_type: 'fiat',
      fiat: 'USD',
      amount: '4.99',
      description: 'Premium: Premium features for 30 days',
      payload: JSON.stringify({ user: 701, product: 'shop/premium', grant: { key: 'premium', days: 30 } }),
      expires_in: 3600,
      paid_btn_name: 'openBot',
      paid_btn_url: 'https://t.me/test_bot',
    });
    expect(url).toBe(cryptopay.invoice(invoiceId).bot_invoice_url);
    const [payment] = await platform.payments.ledger.ofUser(701);
    expect(payment).toMatchObject({
      provider: 'cryptopay',
      providerId: invoiceId,
      status: 'pending',
      amount: 499,
      currency: 'USD',
      product: 'shop/premium',
    });

    // Three decimals in, none lost: 300 EUR cents are "3.00".
    await platform.payments.checkoutLink(702, 'shop', 'club', 'EUR', 'cryptopay');
    expect(cryptopay.requestsTo('createInvoice').at(-1)?.params).toMatchObject({ fiat: 'EUR', amount: '3.00' });
  });

  it('credits a signed invoice_paid once, with its entitlement and what was paid', async () => {
    const { platform, cryptopay } = fixture;
    const { invoiceId } = await cryptoPayInvoice(platform, 703);
    const delivery = signedCryptoPayDelivery(cryptopay.pay(invoiceId, 'TON', '5.12'));

    const first = await postCryptoPayWebhook(platform.url, delivery);
    expect([first.status, await first.json()]).toEqual([200, { received: true }]);
    expect((await postCryptoPayWebhook(platform.url, delivery)).status).toBe(200);

    const payments = await platform.payments.ledger.ofUser(703);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'paid', amount: 499, currency: 'USD' });
    expect(await platform.payments.has(703, 'premium')).toBe(true);
    const [granted] = await grants(platform, 703);
    expect(Number(granted?.ends_at) - Number(granted?.starts_at)).toBe(30 * DAY_MS);
    expect(await cryptoPayEvents(platform, `${invoiceId}:paid`)).toBe(1);
    // The asset, amount and rate Crypto Pay reported, for the panel's payment page.
    const events = await platform.payments.ledger.events(payments[0]?.id as number);
    expect(events.map((event) => event.type)).toEqual(['checkout.created', 'invoice_paid']);
    expect(events[1]?.payload).toMatchObject({
      update_type: 'invoice_paid',
      payload: {
        paid_asset: 'TON',
        paid_amount: '0.00012345',
        paid_fiat_rate: '5.12',
      },
    });
  });

  it('credits once when the webhook and the poller report the payment at the same time', async () => {
    const { platform, cryptopay } = fixture;
    const { invoiceId } = await cryptoPayInvoice(platform, 704);
    const delivery = signedCryptoPayDelivery(cryptopay.pay(invoiceId));

    const [answers] = await Promise.all([
      Promise.all([1, 2, 3].map(() => postCryptoPayWebhook(platform.url, delivery))),
      platform.payments.poll('cryptopay', DAY_MS),
      platform.payments.poll('cryptopay', DAY_MS),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect((await platform.payments.ledger.ofUser(704)).map((payment) => payment.status)).toEqual(['paid']);
    expect(await grants(platform, 704)).toHaveLength(1);
    expect(await cryptoPayEvents(platform, `${invoiceId}:paid`)).toBe(1);
    const credited = await platform.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'payment.paid')
      .where('target', '=', `payment:${(await platform.payments.ledger.ofUser(704))[0]?.id}`)
      .execute();
    expect(credited).toHaveLength(1);
  });

  it('closes an invoice the poller finds expired; money for it later is late and grants nothing', async () => {
    const { platform, cryptopay } = fixture;
    const { invoiceId } = await cryptoPayInvoice(platform, 705);
    // Still active: the poller changes nothing.
    expect(await platform.payments.poll('cryptopay', DAY_MS)).toBe(0);
    expect((await platform.payments.ledger.ofUser(705))[0]?.status).toBe('pending');

    cryptopay.expire(invoiceId);
    expect(await platform.payments.poll('cryptopay', DAY_MS)).toBeGreaterThanOrEqual(1);
    expect((await platform.payments.ledger.ofUser(705))[0]?.status).toBe('expired');

    const late = await postCryptoPayWebhook(platform.url, signedCryptoPayDelivery(cryptopay.pay(invoiceId)));
    expect(late.status).toBe(200);
    expect((await platform.payments.ledger.ofUser(705))[0]?.status).toBe('late');
    expect(await platform.payments.has(705, 'premium')).toBe(false);
  });

  it('answers 200 to a paid invoice it never opened, credits nothing and records a security event', async () => {
    const { platform, cryptopay } = fixture;
    const stranger = {
      invoice_id: 990_001,
      hash: 'IVstranger',
      currency_type: 'fiat',
      fiat: 'USD',
      amount: '4.99',
      status: 'paid',
      payload: JSON.stringify({ user: 706, product: 'shop/premium', grant: { key: 'premium', days: 30 } }),
      paid_asset: 'USDT',
      paid_amount: '4.99',
    };
    const delivery = signedCryptoPayDelivery(cryptopay.update(stranger));

    const answer = await postCryptoPayWebhook(platform.url, delivery);
    expect([answer.status, await answer.json()]).toEqual([200, { received: true }]);
    // The same delivery again is a duplicate, not a second event.
    expect((await postCryptoPayWebhook(platform.url, delivery)).status).toBe(200);

    expect(await platform.payments.ledger.ofUser(706)).toEqual([]);
    expect(await platform.payments.has(706, 'premium')).toBe(false);
    const events = await platform.security.events.list({ type: 'payment_unknown_invoice' });
    expect(events.map((event) => [event.ip, event.detail])).toEqual([
      ['127.0.0.1', { provider: 'cryptopay', invoice: '990001', event: '990001:paid' }],
    ]);
  });
});

describe.each(DATABASE_KINDS)('Crypto Pay status poller on %s', (kind) => {
  const fixture = useCryptoPayPlatform(kind, { statusPolling: { every: 100, maxEvery: 1000, withinMs: DAY_MS } });

  it('takes a payment to paid with no webhook at all', async () => {
    const { platform, cryptopay } = fixture;
    const { invoiceId } = await cryptoPayInvoice(platform, 711);
    cryptopay.pay(invoiceId);

    await expect.poll(() => platform.payments.has(711, 'premium'), { timeout: 5000 }).toBe(true);
    expect((await platform.payments.ledger.ofUser(711))[0]).toMatchObject({ status: 'paid', amount: 499 });
    expect(cryptopay.requestsTo('getInvoices').at(-1)?.params).toMatchObject({ invoice_ids: invoiceId });
    expect(await cryptoPayEvents(platform, `${invoiceId}:paid`)).toBe(1);
  });
});
