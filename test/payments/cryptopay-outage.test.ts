// Crypto Pay down, slow or refusing the token, on both databases: a checkout link fails with
// PAYMENT_PROVIDER_FAILED (naming Crypto Pay's error, never the token) and leaves no payment behind,
// asked once (a second createInvoice would be a second invoice); a poll that fails changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events.js';
import type { OmniError } from '../../src/errors.js';
import { Payments } from '../../src/payments/payments.js';
import { cryptoPayProvider } from '../../src/payments/providers/cryptopay.js';
import type { TelegramPaymentsApi } from '../../src/payments/telegram.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { CRYPTOPAY_TEST_TOKEN, FakeCryptoPay } from '../support/fake-cryptopay.js';
import { PRODUCTS } from '../support/stripe-shop.js';

// Only the Stars provider uses Telegram; these tests do not.
const telegram = {} as TelegramPaymentsApi;
const DAY_MS = 86_400_000;

describe.each(DATABASE_KINDS)('Crypto Pay down or slow on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  const cryptopay = new FakeCryptoPay();
  const paymentsWith = (token: string) => {
    const provider = cryptoPayProvider({ token, apiRoot: cryptopay.url, returnUrl: () => undefined, timeoutMs: 300 });
    const payments = new Payments({ db: migrated.handle.db, events: new EventBus(), telegram, providers: [provider] });
    payments.declare('shop', PRODUCTS);
    return payments;
  };
  let payments: Payments;
  beforeAll(async () => {
    await cryptopay.start();
    payments = paymentsWith(CRYPTOPAY_TEST_TOKEN);
  });
  afterAll(() => cryptopay.stop());
  beforeEach(() => {
    cryptopay.outage = undefined;
    cryptopay.requests.length = 0;
  });

  const rows = async () => {
    const payments = await migrated.handle.db.selectFrom('payments').select(['id', 'status']).execute();
    const events = await migrated.handle.db.selectFrom('payment_events').select('id').execute();
    return { payments, events: events.length };
  };
  const failure = (work: Promise<unknown>) => work.then(() => undefined).catch((error: OmniError) => error);

  it.each([
    ['answers 500', 'error', /INTERNAL \(500\)/],
    ['never answers', 'hang', /timeout|aborted/i],
  ] as const)('fails a checkout link when Crypto Pay %s, recording nothing', async (_, outage, reason) => {
    const before = await rows();
    cryptopay.outage = outage;
    const failed = await failure(payments.checkoutLink(901, 'shop', 'premium', 'USD', 'cryptopay'));
    expect(failed?.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(failed?.message).toMatch(/^the payment provider did not answer as expected: .*cryptopay createInvoice/);
    expect(failed?.message).toMatch(reason);
    expect(cryptopay.requestsTo('createInvoice')).toHaveLength(1);
    expect(await rows()).toEqual(before);
  });

  it('fails a checkout link with a refused token, without the token in the error', async () => {
    const before = await rows();
    const failed = await failure(
      paymentsWith('12345:AAwrongToken000').checkoutLink(902, 'shop', 'premium', 'USD', 'cryptopay'),
    );
    expect(failed?.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(failed?.message).toMatch(/UNAUTHORIZED \(401\)/);
    expect(failed?.message).not.toContain('AAwrongToken000');
    expect(await rows()).toEqual(before);
  });

  it('fails a poll when Crypto Pay is down, changing nothing', async () => {
    await payments.checkoutLink(903, 'shop', 'premium', 'USD', 'cryptopay');
    const invoiceId = (await payments.ledger.ofUser(903))[0]?.providerId as string;
    cryptopay.pay(invoiceId);
    const before = await rows();
    cryptopay.outage = 'error';
    expect((await failure(payments.poll('cryptopay', DAY_MS)))?.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(await rows()).toEqual(before);
    // Back up, the next poll finds the payment.
    cryptopay.outage = undefined;
    expect(await payments.poll('cryptopay', DAY_MS)).toBe(1);
    expect((await payments.ledger.ofUser(903))[0]?.status).toBe('paid');
  });
});
