// NOWPayments down or slow, on both databases: a checkout link fails with PAYMENT_PROVIDER_FAILED
// and leaves nothing behind, whether NOWPayments answers 500, refuses the key or never answers; the
// poller fails the same way and changes nothing; the health check says it is down, without the key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.js';
import { EventBus } from '../../src/core/events.js';
import type { OmniError } from '../../src/errors.js';
import { configuredChecks } from '../../src/ops/health/registry.js';
import { Payments } from '../../src/payments/payments.js';
import { nowPaymentsProvider } from '../../src/payments/providers/nowpayments.js';
import type { TelegramPaymentsApi } from '../../src/payments/telegram.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { FakeNowPayments, NOWPAYMENTS_API_KEY } from '../support/fake-nowpayments.js';
import { PRODUCTS } from '../support/stripe-shop.js';

// Only the Stars provider uses Telegram; these tests do not.
const telegram = {} as TelegramPaymentsApi;

describe.each(DATABASE_KINDS)('NOWPayments down or slow on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  const nowpayments = new FakeNowPayments();
  let payments: Payments;
  let wrongKey: Payments;
  beforeAll(async () => {
    await nowpayments.start();
    const provider = (apiKey: string) =>
      nowPaymentsProvider({ apiKey, apiRoot: nowpayments.url, returnUrl: () => undefined, timeoutMs: 300 });
    const events = new EventBus();
    payments = new Payments({ db: migrated.handle.db, events, telegram, providers: [provider(NOWPAYMENTS_API_KEY)] });
    wrongKey = new Payments({ db: migrated.handle.db, events, telegram, providers: [provider('NP-REVOKED')] });
    for (const each of [payments, wrongKey]) each.declare('shop', PRODUCTS);
  });
  afterAll(() => nowpayments.stop());
  beforeEach(() => {
    nowpayments.outage = undefined;
  });

  const rows = async () => {
    const payments = await migrated.handle.db.selectFrom('payments').select(['id', 'status']).execute();
    const events = await migrated.handle.db.selectFrom('payment_events').select('id').execute();
    return { payments, events: events.length };
  };
  const failure = (work: Promise<unknown>) =>
    work.then(
      () => undefined,
      (error: OmniError) => error,
    );

  it.each([
    ['answers 500', 'error', /HTTP 500 Internal server error/],
    ['never answers', 'hang', /aborted|timeout/i],
  ] as const)('fails a checkout link when NOWPayments %s, recording nothing', async (_, outage, reason) => {
    const before = await rows();
    nowpayments.outage = outage;
    const failed = await failure(payments.checkoutLink(961, 'shop', 'premium', 'USD', 'nowpayments'));
    expect(failed?.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(failed?.message).toMatch(
      /^the payment provider did not answer as expected: .*nowpayments POST \/v1\/invoice/,
    );
    expect(failed?.message).toMatch(reason);
    expect(await rows()).toEqual(before);
  });

  it('fails a checkout link whose key NOWPayments refuses, saying so without the key', async () => {
    const before = await rows();
    const failed = await failure(wrongKey.checkoutLink(962, 'shop', 'premium', 'USD', 'nowpayments'));
    expect(failed?.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(failed?.message).toMatch(/HTTP 403 Invalid api key/);
    expect(failed?.message).not.toContain('NP-REVOKED');
    expect(await rows()).toEqual(before);
  });

  it('fails a poll when NOWPayments is down, changing nothing', async () => {
    const url = await payments.checkoutLink(963, 'shop', 'premium', 'USD', 'nowpayments');
    nowpayments.pay(new URL(url).searchParams.get('iid') as string, 'finished');
    const before = await rows();
    nowpayments.outage = 'error';
    expect((await failure(payments.poll('nowpayments', 86_400_000)))?.code).toBe('PAYMENT_PROVIDER_FAILED');
    expect(await rows()).toEqual(before);
    nowpayments.outage = undefined;
    expect(await payments.poll('nowpayments', 86_400_000)).toBe(1);
    expect(await payments.has(963, 'premium')).toBe(true);
  });

  it('has a health check on /v1/status that fails while NOWPayments is down', async () => {
    const config = loadConfig({ NOWPAYMENTS_API_KEY, NOWPAYMENTS_API_ROOT: nowpayments.url });
    const deps = { pingDatabase: async () => {}, getMe: async () => ({}), dispatcherStall: () => undefined };
    const check = configuredChecks(config, deps).find((each) => each.name === 'nowpayments');
    expect(check?.critical).toBe(false);
    await check?.run(new AbortController().signal);
    expect(nowpayments.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/status' });
    nowpayments.outage = 'error';
    const down = await failure(check?.run(new AbortController().signal) ?? Promise.resolve());
    expect((down as Error | undefined)?.message).toMatch(/answered HTTP 500/);
    expect((down as Error).message).not.toContain(NOWPAYMENTS_API_KEY);
    expect(configuredChecks(loadConfig({}), deps).map((each) => each.name)).not.toContain('nowpayments');
  });
});
