// `omnicore payments reconcile` through the real process, on both databases: it applies a Stripe
// payment whose webhook never came to the server's database and says so per provider (as text or
// JSON), a second run repairs nothing; a provider that fails is one line on stderr and exit 1, as is
// having no provider to reconcile.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { stripeProvider } from '../../src/payments/providers/stripe.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { assertBuilt, type Finished, runOmnicoreOn } from '../support/processes.js';
import { stripeEnv } from '../support/stripe-webhooks.js';

describe.each(DATABASE_KINDS)('omnicore payments reconcile on %s', (kind) => {
  const stripe = new FakeStripe();
  let database: TestDatabase;
  beforeAll(async () => {
    assertBuilt();
    database = await createTestDatabase(kind);
    await stripe.start();
  });
  afterAll(async () => {
    await stripe.stop();
    await database?.dispose();
  });
  beforeEach(() => stripe.reset());

  function reconcile(args: string[], env: Record<string, string> = stripeEnv(stripe)): Promise<Finished> {
    return runOmnicoreOn(database, ['payments', 'reconcile', ...args], env);
  }

  it('applies a payment whose webhook was lost and reports it; a second run repairs nothing', async () => {
    // A Checkout session made as the server makes them, paid, and its webhook never delivered.
    const provider = stripeProvider({
      secretKey: 'sk_test_fake_0123456789',
      apiRoot: stripe.url,
      returnUrl: () => undefined,
    });
    const { providerId } = (await provider.checkout?.({
      userId: 801,
      product: 'shop/premium',
      title: 'Premium',
      description: 'Premium features for 30 days',
      amount: 499,
      currency: 'USD',
      grant: { key: 'premium', days: 30 },
    })) ?? { providerId: '' };
    stripe.complete(providerId);

    const first = await reconcile(['--since', '2']);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(first.stdout).toBe('stripe: 1 event seen, 1 repaired\n');
    expect(stripe.requestsTo('GET', '/v1/events')[0]?.params).toMatchObject({
      created: { gte: expect.stringMatching(/^\d+$/) },
    });
    const second = await reconcile(['--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual([{ provider: 'stripe', seen: 1, repaired: 0 }]);

    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    try {
      const payment = await handle.db
        .selectFrom('payments')
        .selectAll()
        .where('provider_id', '=', providerId)
        .executeTakeFirst();
      expect(payment).toMatchObject({ status: 'paid', product: 'shop/premium' });
      expect(Number(payment?.user_id)).toBe(801);
      const audit = await handle.db
        .selectFrom('audit_log')
        .select(['actor', 'action'])
        .where('action', '=', 'payment.paid')
        .execute();
      expect(audit).toEqual([{ actor: 'reconciliation', action: 'payment.paid' }]);
    } finally {
      await handle.close();
    }
  });

  it('fails with one line and exit 1 when Stripe fails', async () => {
    stripe.outage = 'error';
    const failed = await reconcile([]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toMatch(
      /^omnicore: stripe: the payment provider did not answer as expected: stripe events\.list: .+\n$/,
    );
  });

  it('fails with one line and exit 1 when no provider can be reconciled', async () => {
    const failed = await reconcile([], {});
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe(
      'omnicore: no payment provider to reconcile: set STRIPE_SECRET_KEY (or BOT_TOKEN, for Stars)\n',
    );
  });
});
