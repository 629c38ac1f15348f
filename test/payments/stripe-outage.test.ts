// Stripe down or slow, on both databases: a checkout link fails with PAYMENT_PROVIDER_FAILED and
// leaves no payment behind, whether Stripe answers 500 (after the SDK's one retry) or never answers
// (after the request timeout); a refund fails the same way and changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events.js';
import type { OmniError } from '../../src/errors.js';
import { Payments } from '../../src/payments/payments.js';
import { stripeProvider } from '../../src/payments/providers/stripe.js';
import type { TelegramPaymentsApi } from '../../src/payments/telegram.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { PRODUCTS } from '../support/stripe-shop.js';
import { STRIPE_WEBHOOK_SECRET } from '../support/stripe-webhooks.js';

// Only the Stars provider uses Telegram; these tests do not.
const telegram = {} as TelegramPaymentsApi;

describe.each(DATABASE_KINDS)('Stripe down or slow on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  const stripe = new FakeStripe();
  let payments: Payments;
  beforeAll(async () => {
    await stripe.start();
    const provider = stripeProvider({
      secretKey: 'sk_test_fake_0123456789',
      webhookSecret: STRIPE_WEBHOOK_SECRET,
      apiRoot: stripe.url,
      returnUrl: () => 'https://t.me/test_bot',
      timeoutMs: 300,
    });
    payments = new Payments({ db: migrated.handle.db, events: new EventBus(), telegram, providers: [provider] });
    payments.declare('shop', PRODUCTS);
  });
  afterAll(() => stripe.stop());
  beforeEach(() => stripe.reset());

  const rows = async () => {
    const payments = await migrated.handle.db.selectFrom('payments').select('id').execute();
    const events = await migrated.handle.db.selectFrom('payment_events').select('id').execute();
    return { payments: payments.length, events: events.length };
  };

  it.each([
    ['answers 500', 'error'],
    ['never answers', 'hang'],
  ] as const)('fails a checkout link when Stripe %s, recording nothing', async (_, outage) => {
    const before = await rows();
    stripe.outage = outage;
    const failed = await payments.checkoutLink(601, 'shop', 'premium').catch((error: OmniError) => error);
    expect((failed as OmniError).code).toBe('PAYMENT_PROVIDER_FAILED');
    expect((failed as OmniError).message).toMatch(/^the payment provider did not answer as expected: .*stripe/);
    // The SDK tried again once, with the same idempotency key.
    const tried = stripe.requestsTo('POST', '/v1/checkout/sessions');
    expect(tried).toHaveLength(2);
    expect(new Set(tried.map((request) => request.idempotencyKey)).size).toBe(1);
    expect(await rows()).toEqual(before);
  });

  it('fails a refund when Stripe is down, changing nothing', async () => {
    const url = await payments.checkoutLink(602, 'shop', 'premium');
    const sessionId = url.split('/').at(-1) as string;
    const { completed } = stripe.complete(sessionId);
    await payments.record({
      provider: 'stripe',
      eventId: completed.id,
      type: completed.type,
      raw: completed,
      change: {
        kind: 'paid',
        providerId: sessionId,
        reference: stripe.sessions.get(sessionId)?.payment_intent as string,
        userId: 602,
        amount: 499,
        currency: 'USD',
      },
    });
    const payment = (await payments.ledger.find('stripe', sessionId)) as { id: number };
    stripe.outage = 'error';
    const failed = await payments.refund(payment.id, { actor: 'admin:ops' }).catch((error: OmniError) => error);
    expect((failed as OmniError).code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(await payments.ledger.get(payment.id)).toMatchObject({ status: 'paid', refundedAmount: 0 });
  });
});
