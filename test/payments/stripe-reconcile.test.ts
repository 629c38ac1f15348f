// Reconciliation against the fake Stripe's events list, on both databases: a checkout.session.completed
// whose webhook never came is found and credited, and reported; a second run repairs nothing; the
// webhook arriving after all changes nothing. The server's own scheduled run does the same by itself.
import { beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useStripePlatform } from '../support/stripe-platform.js';
import { checkoutSession, grants, openShop } from '../support/stripe-shop.js';
import { postStripeWebhook, signedDelivery } from '../support/stripe-webhooks.js';

describe.each(DATABASE_KINDS)('Stripe reconciliation on %s', (kind) => {
  const fixture = useStripePlatform(kind);
  beforeEach(() => fixture.stripe.reset());

  it('credits a payment whose webhook was lost, once, and reports it', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const since = Date.now() - 1000;
    const sessionId = await checkoutSession(platform, 701, 'premium');
    const { completed } = stripe.complete(sessionId);
    // Another payment, delivered as usual: seen, and nothing to repair.
    const other = await checkoutSession(platform, 702, 'premium');
    await postStripeWebhook(platform.url, signedDelivery(stripe.complete(other).completed));

    expect(await platform.payments.reconcile(since, ['stripe'])).toEqual([
      { provider: 'stripe', seen: 2, repaired: 1 },
    ]);
    expect(stripe.requestsTo('GET', '/v1/events').at(-1)?.params).toMatchObject({
      created: { gte: String(Math.floor(since / 1000)) },
      types: expect.arrayContaining(['checkout.session.completed', 'invoice.paid', 'charge.refunded']),
    });
    expect((await platform.payments.ledger.ofUser(701)).map((payment) => payment.status)).toEqual(['paid']);
    expect(await platform.payments.has(701, 'premium')).toBe(true);

    expect(await platform.payments.reconcile(since, ['stripe'])).toEqual([
      { provider: 'stripe', seen: 2, repaired: 0 },
    ]);
    expect((await postStripeWebhook(platform.url, signedDelivery(completed))).status).toBe(200);
    expect(await grants(platform, 701)).toHaveLength(1);
  });

  it('reads every page of the events list, applying them oldest first', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const since = Date.now() - 1000;
    const sessionId = await checkoutSession(platform, 703, 'premium');
    stripe.complete(sessionId);
    const intent = stripe.sessions.get(sessionId)?.payment_intent as string;
    // More than a page of 100 events between the payment and its refund, none of them ours.
    for (let index = 0; index < 150; index++) {
      stripe.event('checkout.session.expired', {
        id: `cs_test_elsewhere_${index}`,
        mode: 'payment',
        payment_status: 'unpaid',
        amount_total: 100,
        currency: 'usd',
      });
    }
    stripe.refund(intent, 499);

    expect(await platform.payments.reconcile(since, ['stripe'])).toEqual([
      { provider: 'stripe', seen: 152, repaired: 2 },
    ]);
    expect(stripe.requestsTo('GET', '/v1/events')).toHaveLength(2);
    expect((await platform.payments.ledger.ofUser(703)).map((payment) => payment.status)).toEqual(['refunded']);
  });
});

describe.each(DATABASE_KINDS)('the scheduled Stripe reconciliation on %s', (kind) => {
  const fixture = useStripePlatform(kind, {
    reconciliation: { firstAfterMs: 100, every: 200, firstLookbackMs: 3_600_000, lookbackMs: 3_600_000 },
  });

  it('credits a payment whose webhook was lost without being asked', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const sessionId = await checkoutSession(platform, 711, 'premium');
    stripe.complete(sessionId);
    await expect
      .poll(async () => (await platform.payments.ledger.ofUser(711)).map((payment) => payment.status), {
        timeout: 5000,
      })
      .toEqual(['paid']);
    expect(await platform.payments.has(711, 'premium')).toBe(true);
    expect(platform.logs.join('')).toContain('payment reconciliation applied events the webhook had missed');
  });
});
