// BTCPay Server down, slow or refusing the key, on both databases: a checkout link fails with
// PAYMENT_PROVIDER_FAILED and leaves no payment behind; the poller's call fails the same way (its
// back-off takes over) and changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events.js';
import type { OmniError } from '../../src/errors.js';
import { Payments } from '../../src/payments/payments.js';
import { btcpayProvider } from '../../src/payments/providers/btcpay.js';
import type { TelegramPaymentsApi } from '../../src/payments/telegram.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { BTCPAY_API_KEY, BTCPAY_STORE_ID, FakeBtcpay } from '../support/fake-btcpay.js';
import { PRODUCTS } from '../support/stripe-shop.js';

// Only the Stars provider uses Telegram; these tests do not.
const telegram = {} as TelegramPaymentsApi;

describe.each(DATABASE_KINDS)('BTCPay down or slow on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  const btcpay = new FakeBtcpay();
  const make = (apiKey: string) =>
    new Payments({
      db: migrated.handle.db,
      events: new EventBus(),
      telegram,
      providers: [
        btcpayProvider({
          url: btcpay.url,
          apiKey,
          storeId: BTCPAY_STORE_ID,
          returnUrl: () => undefined,
          timeoutMs: 300,
        }),
      ],
    });
  let payments: Payments;
  beforeAll(async () => {
    await btcpay.start();
    payments = make(BTCPAY_API_KEY);
    payments.declare('shop', PRODUCTS);
  });
  afterAll(() => btcpay.stop());
  beforeEach(() => {
    btcpay.outage = undefined;
  });

  const rows = async () => {
    const payments = await migrated.handle.db.selectFrom('payments').select('id').execute();
    const events = await migrated.handle.db.selectFrom('payment_events').select('id').execute();
    return { payments: payments.length, events: events.length };
  };

  it.each([
    ['answers 500', 'error'],
    ['never answers', 'hang'],
  ] as const)('fails a checkout link when BTCPay %s, recording nothing', async (_, outage) => {
    const before = await rows();
    btcpay.outage = outage;
    const failed = await payments
      .checkoutLink(901, 'shop', 'premium', 'USD', 'btcpay')
      .catch((error: OmniError) => error);
    expect((failed as OmniError).code).toBe('PAYMENT_PROVIDER_FAILED');
    expect((failed as OmniError).message).toMatch(/btcpay create invoice/);
    expect(await rows()).toEqual(before);
  });

  it('fails a checkout link with a refused key, without the key in the message', async () => {
    const before = await rows();
    const refused = make('a_revoked_key_000000');
    refused.declare('shop', PRODUCTS);
    const failed = await refused
      .checkoutLink(902, 'shop', 'premium', 'USD', 'btcpay')
      .catch((error: OmniError) => error);
    expect((failed as OmniError).code).toBe('PAYMENT_PROVIDER_FAILED');
    expect((failed as OmniError).message).toMatch(/HTTP 401/);
    expect((failed as OmniError).message).not.toContain('a_revoked_key_000000');
    expect(await rows()).toEqual(before);
  });

  it('fails a poll when BTCPay is down, changing nothing', async () => {
    const url = await payments.checkoutLink(903, 'shop', 'premium', 'USD', 'btcpay');
    const invoiceId = url.split('/').at(-1) as string;
    btcpay.pay(invoiceId);
    btcpay.settle(invoiceId);
    btcpay.outage = 'error';
    const failed = await payments.poll('btcpay', 3_600_000).catch((error: OmniError) => error);
    expect((failed as OmniError).code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(await payments.ledger.find('btcpay', invoiceId)).toMatchObject({ status: 'pending' });
    btcpay.outage = undefined;
    expect(await payments.poll('btcpay', 3_600_000)).toBe(1);
    expect(await payments.has(903, 'premium')).toBe(true);
  });
});
