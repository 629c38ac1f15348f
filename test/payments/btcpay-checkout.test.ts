// BTCPay Server through the real server on both databases: a checkout link makes a Greenfield
// invoice for the fiat price and records the payment pending; a signed InvoiceSettled credits it once
// with its entitlement, however often it comes and whether the poller saw it first; payments seen,
// short, expired, invalid or after expiry are recorded and grant nothing.
import { describe, expect, it } from 'vitest';
import { btcpayEvents, btcpayInvoice, statusOf, useBtcpayPlatform } from '../support/btcpay-platform.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { BTCPAY_API_KEY, type Delivery, postBtcpayWebhook, signedBtcpayDelivery } from '../support/fake-btcpay.js';
import { grants } from '../support/stripe-shop.js';

describe.each(DATABASE_KINDS)('BTCPay checkout on %s', (kind) => {
  const fixture = useBtcpayPlatform(kind);
  const deliver = async (delivery: Delivery) => {
    const answer = await postBtcpayWebhook(fixture.platform.url, signedBtcpayDelivery(delivery));
    expect([answer.status, await answer.json()]).toEqual([200, { received: true }]);
  };

  it('makes an invoice for the fiat price and records the payment pending', async () => {
    const { platform, btcpay } = fixture;
    const invoiceId = await btcpayInvoice(platform, 701);

    const [created] = btcpay.requestsTo('POST', '/invoices').slice(-1);
    expect(created?.authorization).toBe(`token ${BTCPAY_API_KEY}`);
    expect(created?.body).toEqual({
      amount: '4.99',
      currency: 'USD',
      metadata: {
        orderId: expect.stringMatching(/^omnicore-701-[0-9a-f-]{36}$/),
        itemDesc: 'Premium',
        itemCode: 'shop/premium',
        omnicore: {
          user: 701,
          product: 'shop/premium',
          amount: 499,
          currency: 'USD',
          grant: { key: 'premium', days: 30 },
        },
      },
      checkout: { redirectURL: 'https://t.me/test_bot' },
    });
    const [payment] = await platform.payments.ledger.ofUser(701);
    expect(payment).toMatchObject({
      provider: 'btcpay',
      providerId: invoiceId,
      status: 'pending',
      amount: 499,
      currency: 'USD',
      product: 'shop/premium',
    });
  });

  it('credits a settled invoice once, delivered twice, and grants the entitlement', async () => {
    const { platform, btcpay } = fixture;
    const invoiceId = await btcpayInvoice(platform, 702);
    await deliver(btcpay.pay(invoiceId));
    expect(await statusOf(platform, invoiceId)).toBe('confirming');
    expect(await platform.payments.has(702, 'premium')).toBe(false);

    const settled = btcpay.settle(invoiceId);
    await deliver(settled);
    await deliver({ ...settled, deliveryId: 'redelivered', isRedelivery: true });

    expect(await platform.payments.ledger.ofUser(702)).toEqual([
      expect.objectContaining({ status: 'paid', providerId: invoiceId, amount: 499, currency: 'USD' }),
    ]);
    expect(await platform.payments.has(702, 'premium')).toBe(true);
    expect(await grants(platform, 702)).toHaveLength(1);
    expect(await btcpayEvents(platform, invoiceId)).toEqual([`${invoiceId}:confirming`, `${invoiceId}:paid`]);
  });

  it('credits once when the webhook and the poller report the settlement at the same time', async () => {
    const { platform, btcpay } = fixture;
    const invoiceId = await btcpayInvoice(platform, 703);
    btcpay.pay(invoiceId);
    const settled = btcpay.settle(invoiceId);

    await Promise.all([deliver(settled), platform.payments.poll('btcpay', 3_600_000), deliver(settled)]);

    expect((await platform.payments.ledger.ofUser(703)).map((payment) => payment.status)).toEqual(['paid']);
    expect(await grants(platform, 703)).toHaveLength(1);
    expect(await btcpayEvents(platform, invoiceId)).toEqual([`${invoiceId}:paid`]);
  });

  it('records short, expired, invalid and late payments, granting nothing', async () => {
    const { platform, btcpay } = fixture;
    const short = await btcpayInvoice(platform, 704);
    await deliver(btcpay.pay(short, 60));
    await deliver(btcpay.expire(short));

    const unpaid = await btcpayInvoice(platform, 704);
    await deliver(btcpay.expire(unpaid));

    const invalid = await btcpayInvoice(platform, 704);
    await deliver(btcpay.pay(invalid));
    await deliver(btcpay.invalidate(invalid));

    const late = await btcpayInvoice(platform, 704);
    await deliver(btcpay.expire(late));
    await deliver(btcpay.pay(late));

    expect(await statusOf(platform, short)).toBe('underpaid');
    expect(await statusOf(platform, unpaid)).toBe('expired');
    expect(await statusOf(platform, invalid)).toBe('failed');
    expect(await statusOf(platform, late)).toBe('late');
    expect(await platform.payments.has(704, 'premium')).toBe(false);
    expect(await grants(platform, 704)).toHaveLength(0);
  });

  it('credits an overpaid invoice with a note in the audit log', async () => {
    const { platform, btcpay } = fixture;
    const invoiceId = await btcpayInvoice(platform, 705);
    btcpay.pay(invoiceId, 130);
    btcpay.settle(invoiceId);
    await platform.payments.poll('btcpay', 3_600_000);

    expect(await statusOf(platform, invoiceId)).toBe('paid');
    const audit = await platform.database.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'payment.paid')
      .where('details', 'like', `%${invoiceId}%`)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details ?? '{}').note).toBe('overpaid: 0.00010810 by BTC-CHAIN against 0.00008316 asked');
  });

  it('answers 200 to a settled invoice it never opened or of another store, crediting nothing', async () => {
    const { platform, btcpay } = fixture;
    const invoiceId = await btcpayInvoice(platform, 706);
    const settled = btcpay.settle(invoiceId);
    // The same metadata on an invoice id the ledger has no row for (a restored database, say).
    await deliver({ ...settled, invoiceId: 'NotOpenedHere01' });
    expect(await platform.payments.ledger.find('btcpay', 'NotOpenedHere01')).toBeUndefined();
    // Another store's webhook signed with the same secret: not ours, nothing recorded.
    await deliver({ ...settled, storeId: 'AnotherStore' });
    expect(await btcpayEvents(platform, invoiceId)).toEqual([]);
    expect(await platform.payments.has(706, 'premium')).toBe(false);
  });
});
