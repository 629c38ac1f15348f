// A webhook-mode platform whose Stripe is a fake Stripe of its own (and whose Bot API is a fake
// too), started before the calling describe block's tests and stopped after them.
import { afterAll, beforeAll } from 'vitest';
import type { PlatformOptions } from '../../src/main.js';
import { RECONCILIATION_SCHEDULE } from '../../src/payments/reconciliation.js';
import { FakeStripe } from './fake-stripe.js';
import { useWebhookPlatform, type WebhookFixture } from './platform.js';
import { stripeEnv } from './stripe-webhooks.js';

export interface StripeFixture extends WebhookFixture {
  stripe: FakeStripe;
}

/** Forged-signature windows of 200 ms; the hourly reconciliation kept out of the way unless asked for. */
export function useStripePlatform(kind: 'sqlite' | 'postgres', options: PlatformOptions = {}): StripeFixture {
  const stripe = new FakeStripe();
  // Filled in before the platform starts (its beforeAll reads the environment then).
  const env: Record<string, string> = {};
  beforeAll(async () => {
    await stripe.start();
    Object.assign(env, stripeEnv(stripe));
  });
  const fixture = useWebhookPlatform(kind, env, {
    forgeryWindowMs: 200,
    reconciliation: { ...RECONCILIATION_SCHEDULE, firstAfterMs: 3_600_000 },
    ...options,
  }) as StripeFixture;
  fixture.stripe = stripe;
  afterAll(() => stripe.stop());
  return fixture;
}
