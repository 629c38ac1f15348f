// Stripe subscriptions through the real server on both databases, with events in the shape of the
// SDK's pinned API version (the invoice's subscription under parent.subscription_details, the
// period on the subscription's items): the checkout session and the first invoice credit once,
// each renewal extends the entitlement by a period, and cancelling ends it at the period's end
// (or at once when the subscription is deleted).
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/payments/entitlements.js';
import { DATABASE_KINDS } from '../support/databases.js';
import type { FakeStripe, StripeEvent } from '../support/fake-stripe.js';
import { type StripeFixture, useStripePlatform } from '../support/stripe-platform.js';
import { checkoutSession, grants, openShop } from '../support/stripe-shop.js';
import { postStripeWebhook, signedDelivery } from '../support/stripe-webhooks.js';

async function deliver(fixture: StripeFixture, ...events: (StripeEvent | undefined)[]): Promise<void> {
  for (const event of events) {
    if (!event) throw new Error('no event to deliver');
    const answer = await postStripeWebhook(fixture.platform.url, signedDelivery(event));
    expect(answer.status, await answer.clone().text()).toBe(200);
  }
}

/**
 * A user subscribed to the club: the session completed and its first invoice paid, both delivered,
 * the invoice first (Stripe does not promise an order).
 */
async function subscribe(
  fixture: StripeFixture,
  userId: number,
): Promise<{ subscriptionId: string; sessionId: string }> {
  openShop(fixture.platform);
  const sessionId = await checkoutSession(fixture.platform, userId, 'club');
  const { completed, firstInvoice } = fixture.stripe.complete(sessionId);
  await deliver(fixture, firstInvoice, completed);
  return { sessionId, subscriptionId: subscriptionOf(fixture.stripe, sessionId) };
}

function subscriptionOf(stripe: FakeStripe, sessionId: string): string {
  return stripe.sessions.get(sessionId)?.subscription as string;
}

async function clubUntil(fixture: StripeFixture, userId: number): Promise<number | null | undefined> {
  return (await fixture.platform.payments.entitlements(userId)).find((entitlement) => entitlement.key === 'club')
    ?.until;
}

describe.each(DATABASE_KINDS)('Stripe subscriptions on %s', (kind) => {
  const fixture = useStripePlatform(kind);

  it('sells a subscription renewed every 30 days, carrying who bought it on the subscription', async () => {
    openShop(fixture.platform);
    await checkoutSession(fixture.platform, 401, 'club');
    const created = fixture.stripe.requestsTo('POST', '/v1/checkout/sessions').at(-1)?.params;
    const metadata = { user: '401', product: 'shop/club', grant_key: 'club', grant_days: '30' };
    expect(created).toMatchObject({
      mode: 'subscription',
      line_items: [
        { price_data: { currency: 'eur', unit_amount: '300', recurring: { interval: 'day', interval_count: '30' } } },
      ],
      metadata,
      subscription_data: { metadata },
    });
    expect(created).not.toHaveProperty('payment_intent_data');
  });

  it('credits the checkout session once: its first invoice is not a second payment', async () => {
    const started = Date.now();
    const { sessionId, subscriptionId } = await subscribe(fixture, 402);
    const payments = await fixture.platform.payments.ledger.ofUser(402);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      providerId: sessionId,
      status: 'paid',
      amount: 300,
      currency: 'EUR',
      subscriptionId,
      reference: fixture.stripe.sessions.get(sessionId)?.invoice,
    });
    expect(await grants(fixture.platform, 402)).toHaveLength(1);
    expect(await clubUntil(fixture, 402)).toBeGreaterThanOrEqual(started + 30 * DAY_MS);
  });

  it('extends the entitlement by a period for each renewal, once however often it is delivered', async () => {
    const { subscriptionId } = await subscribe(fixture, 403);
    const firstUntil = (await clubUntil(fixture, 403)) as number;
    const renewal = fixture.stripe.renew(subscriptionId);
    await deliver(fixture, renewal, renewal);

    const payments = await fixture.platform.payments.ledger.ofUser(403);
    expect(payments.map((payment) => [payment.providerId, payment.status, payment.amount])).toEqual([
      [renewal.data.object.id, 'paid', 300],
      [expect.stringMatching(/^cs_/), 'paid', 300],
    ]);
    expect(await clubUntil(fixture, 403)).toBe(firstUntil + 30 * DAY_MS);
  });

  it('ends the entitlement when the period paid for ends, for a subscription cancelled at its end', async () => {
    const { subscriptionId } = await subscribe(fixture, 404);
    const cancelled = fixture.stripe.cancel(subscriptionId, true);
    await deliver(fixture, cancelled);
    const periodEnd = (cancelled.data.object.cancel_at as number) * 1000;
    expect(await clubUntil(fixture, 404)).toBe(periodEnd);
    expect(await fixture.platform.payments.has(404, 'club')).toBe(true);
  });

  it('ends the entitlement at once when the subscription is deleted', async () => {
    const { subscriptionId } = await subscribe(fixture, 405);
    await deliver(fixture, fixture.stripe.cancel(subscriptionId, false));
    expect(await fixture.platform.payments.has(405, 'club')).toBe(false);
    // The payment stays paid: ending a subscription refunds nothing.
    expect((await fixture.platform.payments.ledger.ofUser(405)).map((payment) => payment.status)).toEqual(['paid']);
  });
});
