// A webhook-mode platform whose Crypto Pay is a fake of its own (and whose Bot API is a fake too),
// started before the calling describe block's tests and stopped after them, with the shop's products.
import { afterAll, beforeAll } from 'vitest';
import type { Platform, PlatformOptions } from '../../src/main.js';
import { POLLING_SCHEDULE } from '../../src/payments/status-poller.js';
import { FakeCryptoPay } from './fake-cryptopay.js';
import { useWebhookPlatform, type WebhookFixture } from './platform.js';
import { openShop } from './stripe-shop.js';

export interface CryptoPayFixture extends WebhookFixture {
  cryptopay: FakeCryptoPay;
}

/** Forged-signature windows of 200 ms; the status poller kept out of the way unless asked for. */
export function useCryptoPayPlatform(kind: 'sqlite' | 'postgres', options: PlatformOptions = {}): CryptoPayFixture {
  const cryptopay = new FakeCryptoPay();
  // Filled in before the platform starts (its beforeAll reads the environment then).
  const env: Record<string, string> = {};
  beforeAll(async () => {
    await cryptopay.start();
    Object.assign(env, { CRYPTOPAY_TOKEN: cryptopay.token, CRYPTOPAY_API_ROOT: cryptopay.url });
  });
  const fixture = useWebhookPlatform(kind, env, {
    forgeryWindowMs: 200,
    statusPolling: { ...POLLING_SCHEDULE, every: 3_600_000 },
    ...options,
  }) as CryptoPayFixture;
  fixture.cryptopay = cryptopay;
  beforeAll(() => openShop(fixture.platform));
  afterAll(() => cryptopay.stop());
  return fixture;
}

/** A Crypto Pay checkout link for `userId`, and the invoice id it leads to. */
export async function cryptoPayInvoice(platform: Platform, userId: number, product = 'premium') {
  const url = await platform.payments.checkoutLink(userId, 'shop', product, undefined, 'cryptopay');
  const payment = (await platform.payments.ledger.ofUser(userId)).find((row) => row.provider === 'cryptopay');
  return { url, invoiceId: payment?.providerId as string };
}

/** The ledger's rows for one Crypto Pay event id. */
export async function cryptoPayEvents(platform: Platform, eventId: string): Promise<number> {
  const rows = await platform.database.db
    .selectFrom('payment_events')
    .select('id')
    .where('provider', '=', 'cryptopay')
    .where('event_id', '=', eventId)
    .execute();
  return rows.length;
}
