// A server NOWPayments cannot reach (no IPN secret, so no IPN is asked for or taken), on both
// databases: the status poller alone, on its own schedule, takes an invoice through confirming to
// paid, following the invoice's newest payment when the buyer starts another, and grants the product.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { nowPaymentsInvoice, useNowPaymentsPlatform } from '../support/nowpayments-platform.js';
import { grants, openShop } from '../support/stripe-shop.js';

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)('the NOWPayments status poller on %s', (kind) => {
  const fixture = useNowPaymentsPlatform(kind, {
    ipn: false,
    statusPolling: { every: 150, maxEvery: 1000, withinMs: DAY },
  });

  it('takes a payment to paid with no IPN at all', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 971);
    const created = JSON.parse(nowpayments.requestsTo('POST', '/v1/invoice').at(-1)?.body ?? '{}');
    expect(created).not.toHaveProperty('ipn_callback_url');
    const route = await fetch(`${platform.url}/payments/nowpayments/webhook`, { method: 'POST', body: '{}' });
    expect(route.status).toBe(404);

    const statuses = async () => (await platform.payments.ledger.ofUser(971)).map((payment) => payment.status);
    // The buyer picks a coin and waits: nothing to record yet.
    nowpayments.pay(invoiceId, 'waiting');
    await expect.poll(() => nowpayments.requestsTo('GET', '/v1/payment/').length, { timeout: 5000 }).toBeGreaterThan(1);
    expect(await statuses()).toEqual(['pending']);

    nowpayments.pay(invoiceId, 'confirming');
    await expect.poll(statuses, { timeout: 5000 }).toEqual(['confirming']);
    // Another coin after all: the newest payment is the one that counts.
    nowpayments.pay(invoiceId, 'finished', { newPayment: true });
    await expect.poll(statuses, { timeout: 5000 }).toEqual(['paid']);
    expect(await platform.payments.has(971, 'premium')).toBe(true);
    expect(await grants(platform, 971)).toHaveLength(1);

    const asked = nowpayments.requestsTo('GET', '/v1/payment/').at(-1);
    expect(asked?.apiKey).toBe('NP0TEST-FAKE000-KEY0000-0000001');
    expect(asked?.query).toMatchObject({ invoiceId, sortBy: 'created_at', orderBy: 'desc' });
  });
});
