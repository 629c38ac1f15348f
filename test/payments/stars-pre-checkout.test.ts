// Pre-checkout through the whole platform in emulator mode (the plugin test bed): every invoice is
// answered, in the payer's language; what is not offered any more, repriced since the invoice, bought
// by a user banned meanwhile, or not ours is declined before Telegram charges anything.
import { rmSync } from 'node:fs';
import type { Message } from 'grammy/types';
import { createPluginTestBed, type PaymentOutcome, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { encodeOffer } from '../../src/payments/products.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { starsPluginsDir } from '../support/stars-plugin.js';

const { en, de } = messages;

describe.each(DATABASE_KINDS)('pre-checkout on %s', (kind) => {
  let database: TestDatabase;
  let pluginsDir: string;
  let bed: PluginTestBed;
  let nextUser = 3000;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    pluginsDir = starsPluginsDir(`pre-checkout-${kind}`);
    bed = await createPluginTestBed({
      pluginsDir,
      enable: { premium: true },
      env: database.url ? { DATABASE_URL: database.url } : {},
    });
  });

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  /** A user of the test's own, who asks for an invoice with `command` and gets it. */
  async function invoiceFor(command: string, languageCode = 'en') {
    const user = { id: ++nextUser, first_name: 'Payer', language_code: languageCode };
    bed.push(command, user);
    const invoice = await bed.pop({ userId: user.id });
    expect(invoice.invoice).toBeDefined();
    return { user, invoice };
  }

  /** Nothing was charged: no Stars transaction for the user, and nothing in the ledger. */
  async function expectUncharged(userId: number): Promise<void> {
    await bed.idle();
    const payments = await bed.platform.database.db
      .selectFrom('payments')
      .select('id')
      .where('user_id', '=', userId)
      .execute();
    expect(payments).toEqual([]);
    expect(bed.emulator.transcript(userId).messages.some((message) => 'successful_payment' in message)).toBe(false);
  }

  const declined = (errorMessage: string): PaymentOutcome => ({ ok: false, reason: 'declined', errorMessage });

  const reconfigure = async (config: { price?: number; offered?: boolean }) =>
    bed.platform.plugins.configure('premium', { price: 50, offered: true, ...config });

  it('takes an invoice whose product is offered at its price, and credits it', async () => {
    const { user, invoice } = await invoiceFor('/buy');
    expect(invoice.invoice).toMatchObject({ title: 'Premium', currency: 'XTR', total_amount: 50 });
    const paid = await bed.pay(invoice, { user });
    expect(paid.ok).toBe(true);
    expect(await bed.popText({ userId: user.id })).toBe('Thank you for 50 XTR');
    bed.push('/secret', user);
    expect(await bed.popText({ userId: user.id })).toBe('the secret');
  });

  it('declines an invoice whose price changed since it was sent, in the payer’s language', async () => {
    const { user, invoice } = await invoiceFor('/buy', 'de');
    await reconfigure({ price: 80 });
    try {
      expect(await bed.pay(invoice, { user })).toEqual(declined(de.payments.priceChanged));
      await expectUncharged(user.id);
      // A new invoice carries the new price, and is taken.
      const fresh = await invoiceFor('/buy');
      expect(fresh.invoice.invoice?.total_amount).toBe(80);
      expect((await bed.pay(fresh.invoice, { user: fresh.user })).ok).toBe(true);
    } finally {
      await reconfigure({});
    }
  });

  it('declines an invoice for a product taken off the plugin’s list', async () => {
    const { user, invoice } = await invoiceFor('/buy');
    await reconfigure({ offered: false });
    try {
      expect(await bed.pay(invoice, { user })).toEqual(declined(en.payments.productGone));
      await expectUncharged(user.id);
    } finally {
      await reconfigure({});
    }
  });

  it('declines an invoice of a plugin switched off since, and takes it again once it is back', async () => {
    const { user, invoice } = await invoiceFor('/buy', 'de');
    await bed.platform.plugins.setEnabled('premium', false);
    try {
      expect(await bed.pay(invoice, { user })).toEqual(declined(de.payments.productGone));
      await expectUncharged(user.id);
    } finally {
      await bed.platform.plugins.setEnabled('premium', true);
    }
    expect((await bed.pay(invoice, { user })).ok).toBe(true);
  });

  it('declines a user banned after the invoice was sent (the payment update still gets through)', async () => {
    const { user, invoice } = await invoiceFor('/buy');
    await bed.platform.security.bans.ban(user.id, { until: null, reason: 'fraud', by: 'test' });
    expect(await bed.pay(invoice, { user })).toEqual(declined(en.payments.banned));
    await expectUncharged(user.id);
  });

  it('declines an invoice whose payload is not ours when no plugin answers it', async () => {
    const { user, invoice } = await invoiceFor('/raw', 'de');
    expect(invoice.invoice).toMatchObject({ title: 'Raw', total_amount: 5 });
    expect(await bed.pay(invoice, { user, timeoutMs: 5000 })).toEqual(declined(de.payments.invalid));
    await expectUncharged(user.id);
  });

  it('declines an invoice made in our name with terms the plugin never offered', async () => {
    const user = { id: ++nextUser, first_name: 'Forger' };
    bed.push('/start', user);
    await bed.pop({ userId: user.id });
    const grant = { key: 'premium', days: 30 };
    const forge = async (payloadAmount: number, price: number): Promise<Message> =>
      (await bed.emulator.call('sendInvoice', {
        chat_id: user.id,
        title: 'Premium',
        description: 'cheap',
        payload: encodeOffer({ plugin: 'premium', product: 'premium', currency: 'XTR', amount: payloadAmount, grant }),
        provider_token: '',
        currency: 'XTR',
        prices: [{ label: 'Premium', amount: price }],
      })) as Message;
    // A payload at a price the product does not have, and one whose price is not the invoice's.
    expect(await bed.pay(await forge(1, 1), { user })).toEqual(declined(en.payments.priceChanged));
    expect(await bed.pay(await forge(50, 1), { user })).toEqual(declined(en.payments.invalid));
    await expectUncharged(user.id);
  });
});
