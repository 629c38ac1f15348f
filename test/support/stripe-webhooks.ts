// Stripe's side of a webhook delivery, for tests: the platform's Stripe environment, an event
// signed as Stripe signs it (with the SDK's own test helper), and the POST that delivers it.
import Stripe from 'stripe';
import type { FakeStripe } from './fake-stripe.js';

export const STRIPE_WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

/** The environment of a platform whose Stripe is `fake`. */
export function stripeEnv(fake: FakeStripe): Record<string, string> {
  return { STRIPE_SECRET_KEY: 'sk_test_fake_0123456789', STRIPE_WEBHOOK_SECRET, STRIPE_API_ROOT: fake.url };
}

/**
 * An event as Stripe delivers it: pretty-printed JSON (so that a body parsed and serialised again
 * would no longer match) and its Stripe-Signature, made by the SDK's own test helper.
 */
export function signedDelivery(
  event: unknown,
  options: { secret?: string; timestamp?: number } = {},
): { body: string; signature: string } {
  const body = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? STRIPE_WEBHOOK_SECRET,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
  return { body, signature };
}

/** POSTs a delivery to the server's Stripe webhook. */
export function postStripeWebhook(baseUrl: string, delivery: { body: string; signature?: string }): Promise<Response> {
  return fetch(`${baseUrl}/payments/stripe/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(delivery.signature === undefined ? {} : { 'stripe-signature': delivery.signature }),
    },
    body: delivery.body,
  });
}
