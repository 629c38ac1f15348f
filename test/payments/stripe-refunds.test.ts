// Stripe refunds through the real server on both databases: charge.refunded (from the dashboard)
// takes back what a payment gave when in full and keeps it when in part; an admin's refund through
// payments.refund asks Stripe for the right payment intent (a subscription's through its invoice,
// a Telegram invoice's by its Stripe charge) and amount, and Stripe's own report of it changes
// nothing more; a refund Stripe refuses changes nothing.
import { describe, expect, it } from 'vitest';
import type { OmniError } from '../../src/errors.js';
import { DATABASE_KINDS } from '../support/databases.js';
import type { StripeEvent } from '../support/fake-stripe.js';
import { type StripeFixture, useStripePlatform } from '../support/stripe-platform.js';
import { checkoutSession, openShop } from '../support/stripe-shop.js';
import { postStripeWebhook, signedDelivery } from '../support/stripe-webhooks.js';

async function deliver(fixture: StripeFixture, event: StripeEvent | undefined): Promise<void> {
  if (!event) throw new Error('no event to deliver');
  expect((await postStripeWebhook(fixture.platform.url, signedDelivery(event))).status).toBe(200);
}

/** A paid payment of `product` for `userId`: its ledger id and Stripe's payment intent (or invoice). */
async function bought(fixture: StripeFixture, userId: number, product = 'premium') {
  openShop(fixture.platform);
  const sessionId = await checkoutSession(fixture.platform, userId, product);
  const { completed, firstInvoice } = fixture.stripe.complete(sessionId);
  await deliver(fixture, completed);
  if (firstInvoice) await deliver(fixture, firstInvoice);
  const payment = (await fixture.platform.payments.ledger.find('stripe', sessionId)) as { id: number };
  const session = fixture.stripe.sessions.get(sessionId);
  return { id: payment.id, intent: session?.payment_intent as string, invoice: session?.invoice as string };
}

describe.each(DATABASE_KINDS)('Stripe refunds on %s', (kind) => {
  const fixture = useStripePlatform(kind);

  it('takes the entitlement back on a full charge.refunded, and keeps it on a partial one', async () => {
    const { platform, stripe } = fixture;
    const full = await bought(fixture, 501);
    await deliver(fixture, stripe.refund(full.intent, 499));
    expect(await platform.payments.ledger.get(full.id)).toMatchObject({ status: 'refunded', refundedAmount: 499 });
    expect(await platform.payments.has(501, 'premium')).toBe(false);

    const part = await bought(fixture, 502);
    await deliver(fixture, stripe.refund(part.intent, 100));
    expect(await platform.payments.ledger.get(part.id)).toMatchObject({
      status: 'partially_refunded',
      refundedAmount: 100,
    });
    expect(await platform.payments.has(502, 'premium')).toBe(true);
  });

  it('refunds through Stripe what an admin asks, by payment intent and amount, once', async () => {
    const { platform, stripe } = fixture;
    const { id, intent } = await bought(fixture, 503);
    const refunded = await platform.payments.refund(id, { amount: 200, actor: 'admin:ops' });
    expect(refunded).toMatchObject({ status: 'partially_refunded', refundedAmount: 200 });
    const asked = stripe.requestsTo('POST', '/v1/refunds').at(-1);
    expect(asked?.params).toEqual({ payment_intent: intent, amount: '200' });
    expect(asked?.idempotencyKey).toBe(`omnicore-refund-stripe-${id}-200`);

    // Stripe then reports the refund it made: already recorded.
    await deliver(fixture, stripe.events.at(-1));
    expect(await platform.payments.ledger.get(id)).toMatchObject({ refundedAmount: 200 });

    await platform.payments.refund(id, { actor: 'admin:ops' });
    expect(stripe.requestsTo('POST', '/v1/refunds').at(-1)?.params).toEqual({ payment_intent: intent, amount: '299' });
    expect(await platform.payments.ledger.get(id)).toMatchObject({ status: 'refunded', refundedAmount: 499 });
    expect(await platform.payments.has(503, 'premium')).toBe(false);
  });

  it("refunds a subscription's payment through the payment intent of its invoice", async () => {
    const { platform, stripe } = fixture;
    const { id, invoice } = await bought(fixture, 504, 'club');
    await platform.payments.refund(id, { actor: 'admin:ops' });
    expect(stripe.requestsTo('GET', '/v1/invoice_payments').at(-1)?.params).toMatchObject({ invoice, status: 'paid' });
    expect(stripe.requestsTo('POST', '/v1/refunds').at(-1)?.params).toEqual({
      payment_intent: stripe.intentOf(invoice),
      amount: '300',
    });
    expect(await platform.payments.has(504, 'club')).toBe(false);
  });

  it('refunds a Telegram invoice paid through the Stripe provider token by its Stripe charge', async () => {
    const { platform, stripe } = fixture;
    // A charge Stripe made for Telegram: Telegram reports it as provider_payment_charge_id.
    const { intent } = await bought(fixture, 505);
    const charge = stripe.chargeOf(intent) as string;
    await platform.payments.record({
      provider: 'telegram',
      eventId: 'tg-charge-505',
      type: 'successful_payment',
      raw: {},
      change: {
        kind: 'paid',
        providerId: 'tg-charge-505',
        reference: charge,
        userId: 505,
        amount: 150,
        currency: 'USD',
      },
    });
    const telegramPayment = (await platform.payments.ledger.find('telegram', 'tg-charge-505')) as { id: number };
    await platform.payments.refund(telegramPayment.id, { amount: 150, actor: 'admin:ops' });
    expect(stripe.requestsTo('POST', '/v1/refunds').at(-1)?.params).toEqual({ charge, amount: '150' });
    expect(await platform.payments.ledger.get(telegramPayment.id)).toMatchObject({ status: 'refunded' });
  });

  it('changes nothing when Stripe refuses the refund', async () => {
    const { platform, stripe } = fixture;
    const { id, intent } = await bought(fixture, 506);
    // Refunded in the dashboard, and its webhook not arrived yet.
    stripe.refund(intent, 499);
    const refused = await platform.payments.refund(id, { actor: 'admin:ops' }).catch((error: OmniError) => error);
    expect((refused as OmniError).code).toBe('PAYMENT_PROVIDER_FAILED');
    expect((refused as OmniError).message).toContain('Charge has already been refunded');
    expect(await platform.payments.ledger.get(id)).toMatchObject({ status: 'paid', refundedAmount: 0 });
    expect(await platform.payments.has(506, 'premium')).toBe(true);
  });
});
