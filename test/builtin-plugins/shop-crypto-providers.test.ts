// The whole crypto path for each provider, from /shop to the entitlement, on both databases: the
// shop's button for the provider, the invoice made at its (fake) server for the product's dollar
// price, the buyer paying there, the status poller's question to the provider, the checkout message
// edited to "paid", the entitlement in force, and what was paid with on the panel's payment page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btcpayEnv } from '../support/btcpay-platform.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeBtcpay } from '../support/fake-btcpay.js';
import { FakeCryptoPay } from '../support/fake-cryptopay.js';
import { FakeNowPayments, NOWPAYMENTS_API_KEY } from '../support/fake-nowpayments.js';

const PREMIUM = {
  id: 'premium',
  title: 'Premium',
  description: 'Premium for 30 days',
  prices: { USD: 499 },
  grants: { key: 'premium', days: 30 },
};
const WEEK_MS = 7 * 86_400_000;

describe.each(DATABASE_KINDS)('the shop paid in crypto on %s', (kind) => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  const cryptopay = new FakeCryptoPay();
  const nowpayments = new FakeNowPayments();
  const btcpay = new FakeBtcpay();
  let database: TestDatabase;
  let bed: PluginTestBed;
  let nextUser = 7100;

  beforeAll(async () => {
    await Promise.all([cryptopay.start(), nowpayments.start(), btcpay.start()]);
    database = await createTestDatabase(kind);
    bed = await createPluginTestBed({
      pluginsDir,
      env: {
        CRYPTOPAY_TOKEN: cryptopay.token,
        CRYPTOPAY_API_ROOT: cryptopay.url,
        NOWPAYMENTS_API_KEY,
        NOWPAYMENTS_API_ROOT: nowpayments.url,
        ...btcpayEnv(btcpay),
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      },
      enable: { shop: { products: [PREMIUM] } },
    });
  });

  afterAll(async () => {
    await bed?.close();
    await Promise.all([cryptopay.stop(), nowpayments.stop(), btcpay.stop()]);
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  /** A new buyer opens /shop, presses the provider's button, and gets the message with the invoice link. */
  async function checkout(name: string): Promise<{ userId: number; message: Message; invoiceId: string }> {
    const user = { id: ++nextUser, first_name: 'Coin' };
    bed.push('/shop', user);
    const list = await bed.pop({ userId: user.id });
    await bed.press(list, `Premium · $4.99 · ${name}`, { user });
    const message = await bed.pop({ userId: user.id });
    const [pending] = await bed.platform.payments.ledger.ofUser(user.id);
    expect(pending).toMatchObject({ status: 'pending', amount: 499, currency: 'USD', product: 'shop/premium' });
    return { userId: user.id, message, invoiceId: pending?.providerId as string };
  }

  const providers: [string, string, (invoiceId: string) => unknown][] = [
    ['cryptopay', 'Crypto Pay', (invoiceId) => cryptopay.pay(invoiceId)],
    ['nowpayments', 'NOWPayments', (invoiceId) => nowpayments.pay(invoiceId, 'finished')],
    [
      'btcpay',
      'BTCPay',
      (invoiceId) => {
        btcpay.pay(invoiceId);
        btcpay.settle(invoiceId);
      },
    ],
  ];

  it.each(providers)('takes a payment through %s from /shop to the entitlement', async (provider, name, pay) => {
    const { userId, message, invoiceId } = await checkout(name);
    const link = message.reply_markup?.inline_keyboard.flat().find((button) => 'url' in button);
    expect(link && 'url' in link ? link.url : '').toMatch(/^https?:\/\//);
    expect(await bed.platform.payments.has(userId, 'premium')).toBe(false);

    pay(invoiceId);
    // What the status poller does every 30 s; the webhook path is each provider's own test.
    expect(await bed.platform.payments.poll(provider, WEEK_MS)).toBeGreaterThan(0);
    // The edit goes out after the ledger's event, through the throttled Bot API: on a loaded machine, seconds.
    const edited = await bed.pop({ userId, timeoutMs: 15_000 });
    expect(edited.message_id).toBe(message.message_id);
    expect(edited.edit_date).toBeDefined();
    expect(edited.text).toMatch(/Thank you! Premium is yours until [A-Z][a-z]{2} \d{1,2}, \d{4}\.$/);
    expect(await bed.platform.payments.has(userId, 'premium')).toBe(true);
    // Asked again, the provider says the same: nothing more is credited.
    await bed.platform.payments.poll(provider, WEEK_MS);
    const payments = await bed.platform.payments.ledger.ofUser(userId);
    expect(payments.map((payment) => [payment.provider, payment.status])).toEqual([[provider, 'paid']]);
    expect(await bed.platform.payments.entitlements(userId)).toHaveLength(1);

    // The panel's payment page says what came, as the provider reported it.
    const page = await (await bed.admin()).get(`/admin/payments/${payments[0]?.id}`);
    const paidWith = /data-testid="payment-paid-with">([^<]+)/.exec(page.body)?.[1] ?? '';
    expect(paidWith).toMatch(/^\d+(\.\d+)? [\w-]+/);
    if (provider !== 'cryptopay') expect(page.body).toContain('data-testid="payment-transaction"');
  });
});
