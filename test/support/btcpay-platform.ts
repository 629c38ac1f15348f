// A webhook-mode platform whose BTCPay Server is a fake of its own, started before the calling
// describe block's tests and stopped after them; and the ledger reads the BTCPay tests make.
import { afterAll, beforeAll } from 'vitest';
import type { Platform, PlatformOptions } from '../../src/main.js';
import { BTCPAY_API_KEY, BTCPAY_STORE_ID, BTCPAY_WEBHOOK_SECRET, FakeBtcpay } from './fake-btcpay.js';
import { useWebhookPlatform, type WebhookFixture } from './platform.js';
import { openShop } from './stripe-shop.js';

export interface BtcpayFixture extends WebhookFixture {
  btcpay: FakeBtcpay;
}

export function btcpayEnv(fake: FakeBtcpay): Record<string, string> {
  return {
    BTCPAY_URL: fake.url,
    BTCPAY_API_KEY,
    BTCPAY_STORE_ID,
    BTCPAY_WEBHOOK_SECRET,
  };
}

/** Forged-signature windows of 200 ms; the status poller only when a test's options ask for it. */
export function useBtcpayPlatform(kind: 'sqlite' | 'postgres', options: PlatformOptions = {}): BtcpayFixture {
  const btcpay = new FakeBtcpay();
  // Filled in before the platform starts (its beforeAll reads the environment then).
  const env: Record<string, string> = {};
  beforeAll(async () => {
    await btcpay.start();
    Object.assign(env, btcpayEnv(btcpay));
  });
  const fixture = useWebhookPlatform(kind, env, {
    forgeryWindowMs: 200,
    statusPolling: { every: 3_600_000, maxEvery: 3_600_000, withinMs: 86_400_000 },
    ...options,
  }) as BtcpayFixture;
  fixture.btcpay = btcpay;
  afterAll(() => btcpay.stop());
  return fixture;
}

/** A BTCPay checkout link for `userId`, and the invoice id it leads to. */
export async function btcpayInvoice(platform: Platform, userId: number, product = 'premium'): Promise<string> {
  openShop(platform);
  const url = await platform.payments.checkoutLink(userId, 'shop', product, 'USD', 'btcpay');
  return url.split('/').at(-1) as string;
}

/** The ledger's event ids recorded for BTCPay invoice `invoiceId`, in order. */
export async function btcpayEvents(platform: Platform, invoiceId: string): Promise<string[]> {
  const rows = await platform.database.db
    .selectFrom('payment_events')
    .select('event_id')
    .where('provider', '=', 'btcpay')
    .where('event_id', 'like', `${invoiceId}:%`)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.event_id);
}

export async function statusOf(platform: Platform, invoiceId: string): Promise<string | undefined> {
  return (await platform.payments.ledger.find('btcpay', invoiceId))?.status;
}
