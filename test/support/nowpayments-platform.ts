// A webhook-mode platform whose NOWPayments is a fake of its own (and whose Bot API is a fake too),
// started before the calling describe block's tests and stopped after them; without the IPN secret
// when asked, so that only the status poller can learn of payments.
import { afterAll, beforeAll } from 'vitest';
import type { Platform, PlatformOptions } from '../../src/main.js';
import { RECONCILIATION_SCHEDULE } from '../../src/payments/reconciliation.js';
import { POLLING_SCHEDULE } from '../../src/payments/status-poller.js';
import { FakeNowPayments, NOWPAYMENTS_API_KEY, NOWPAYMENTS_IPN_SECRET } from './fake-nowpayments.js';
import { useWebhookPlatform, type WebhookFixture } from './platform.js';

export interface NowPaymentsFixture extends WebhookFixture {
  nowpayments: FakeNowPayments;
}

export function useNowPaymentsPlatform(
  kind: 'sqlite' | 'postgres',
  options: PlatformOptions & { ipn?: boolean } = {},
): NowPaymentsFixture {
  const { ipn = true, ...platformOptions } = options;
  const nowpayments = new FakeNowPayments();
  // Filled in before the platform starts (its beforeAll reads the environment then).
  const env: Record<string, string> = {};
  beforeAll(async () => {
    await nowpayments.start();
    Object.assign(env, {
      NOWPAYMENTS_API_KEY,
      NOWPAYMENTS_API_ROOT: nowpayments.url,
      ...(ipn ? { NOWPAYMENTS_IPN_SECRET } : {}),
    });
  });
  const fixture = useWebhookPlatform(kind, env, {
    forgeryWindowMs: 200,
    reconciliation: { ...RECONCILIATION_SCHEDULE, firstAfterMs: 3_600_000 },
    // The poller only when a test asks for it: each test calls payments.poll() itself.
    statusPolling: { ...POLLING_SCHEDULE, every: 3_600_000 },
    ...platformOptions,
  }) as NowPaymentsFixture;
  fixture.nowpayments = nowpayments;
  afterAll(() => nowpayments.stop());
  return fixture;
}

/** A NOWPayments invoice for `userId`'s product of the shop (stripe-shop.ts's PRODUCTS), and its id. */
export async function nowPaymentsInvoice(platform: Platform, userId: number, product = 'premium'): Promise<string> {
  const url = await platform.payments.checkoutLink(userId, 'shop', product, undefined, 'nowpayments');
  return new URL(url).searchParams.get('iid') as string;
}
