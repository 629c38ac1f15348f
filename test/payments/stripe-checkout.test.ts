// Stripe Checkout through the real server on both databases: a checkout link records a pending
// payment; a signed checkout.session.completed credits it once (however often, and however
// concurrently, it is delivered) and grants the product's entitlement; an expired session closes it;
// events about what OMNICore did not sell are recorded and change nothing.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../support/databases.js';
import { useStripePlatform } from '../support/stripe-platform.js';
import { checkoutSession, grants, openShop, recordedEvents } from '../support/stripe-shop.js';
import { postStripeWebhook, signedDelivery } from '../support/stripe-webhooks.js';

describe.each(DATABASE_KINDS)('Stripe checkout on %s', (kind) => {
  const fixture = useStripePlatform(kind);

  it('makes a Checkout session for the product and records the payment pending', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const sessionId = await checkoutSession(platform, 201, 'premium');

    const [created] = stripe.requestsTo('POST', '/v1/checkout/sessions').slice(-1);
    const metadata = { user: '201', product: 'shop/premium', grant_key: 'premium', grant_days: '30' };
    expect(created?.authorization).toBe('Bearer sk_test_fake_0123456789');
    expect(created?.params).toEqual({
      mode: 'payment',
      client_reference_id: '201',
      line_items: [
        {
          quantity: '1',
          price_data: {
            currency: 'usd',
            unit_amount: '499',
            product_data: { name: 'Premium', description: 'Premium features for 30 days' },
          },
        },
      ],
      metadata,
      payment_intent_data: { metadata },
      success_url: 'https://t.me/test_bot',
      cancel_url: 'https://t.me/test_bot',
    });
    const [payment] = await platform.payments.ledger.ofUser(201);
    expect(payment).toMatchObject({
      provider: 'stripe',
      providerId: sessionId,
      status: 'pending',
      amount: 499,
      currency: 'USD',
      product: 'shop/premium',
    });
  });

  it('credits a signed checkout.session.completed once and grants the entitlement', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const sessionId = await checkoutSession(platform, 202, 'premium');
    const { completed } = stripe.complete(sessionId);
    const delivery = signedDelivery(completed);

    const first = await postStripeWebhook(platform.url, delivery);
    expect([first.status, await first.json()]).toEqual([200, { received: true }]);
    const again = await postStripeWebhook(platform.url, delivery);
    expect(again.status).toBe(200);

    const payments = await platform.payments.ledger.ofUser(202);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({
      status: 'paid',
      providerId: sessionId,
      reference: stripe.sessions.get(sessionId)?.payment_intent,
      amount: 499,
    });
    expect(await platform.payments.has(202, 'premium')).toBe(true);
    expect(await grants(platform, 202)).toHaveLength(1);
    expect(await recordedEvents(platform, completed.id)).toBe(1);
  });

  it('credits one event delivered on several connections at once once', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const sessionId = await checkoutSession(platform, 203, 'premium');
    const delivery = signedDelivery(stripe.complete(sessionId).completed);

    const answers = await Promise.all(Array.from({ length: 4 }, () => postStripeWebhook(platform.url, delivery)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    expect((await platform.payments.ledger.ofUser(203)).map((payment) => payment.status)).toEqual(['paid']);
    expect(await grants(platform, 203)).toHaveLength(1);
  });

  it('closes the pending payment of an expired session', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const sessionId = await checkoutSession(platform, 204, 'premium');
    expect((await postStripeWebhook(platform.url, signedDelivery(stripe.expire(sessionId)))).status).toBe(200);
    expect((await platform.payments.ledger.ofUser(204)).map((payment) => payment.status)).toEqual(['expired']);
    expect(await platform.payments.has(204, 'premium')).toBe(false);
  });

  it('records events it does not act on, and sessions it did not make, changing nothing', async () => {
    const { platform, stripe } = fixture;
    const customer = stripe.event('customer.created', { id: 'cus_test_1', object: 'customer' });
    // A Payment Link of the same Stripe account: paid, but not ours.
    const foreign = stripe.event('checkout.session.completed', {
      id: 'cs_test_foreign',
      object: 'checkout.session',
      mode: 'payment',
      payment_status: 'paid',
      amount_total: 1000,
      currency: 'usd',
      payment_intent: 'pi_test_foreign',
      metadata: {},
    });
    for (const event of [customer, foreign]) {
      expect((await postStripeWebhook(platform.url, signedDelivery(event))).status).toBe(200);
      expect(await recordedEvents(platform, event.id)).toBe(1);
    }
    expect(await platform.payments.ledger.find('stripe', 'cs_test_foreign')).toBeUndefined();
  });
});
