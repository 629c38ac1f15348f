// The shop where money can be taken through Telegram (TELEGRAM_PAYMENT_PROVIDER_TOKEN): a product
// priced in Stars and dollars gets a button for each, a product priced in euros only is listed, and
// an invoice in dollars is sent, paid and shown in /me in the user's way of writing money.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PRO = {
  id: 'pro',
  title: 'Pro',
  description: 'Pro tools for ever',
  prices: { XTR: 100, USD: 499 },
  grants: { key: 'pro' },
};
const BOOK = { id: 'book', title: 'Book', description: 'An e-book', prices: { EUR: 900 } };

describe('the shop with a Telegram payment provider token', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({
      pluginsDir,
      env: { TELEGRAM_PAYMENT_PROVIDER_TOKEN: '284685063:TEST:shop-test-token' },
      enable: { shop: { products: [PRO, BOOK] } },
    });
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('offers a button per currency, and sells in dollars through a Telegram invoice', async () => {
    bed.push('/shop');
    const list = await bed.pop();
    expect(list.text).toContain('Pro — 100 ⭐ · $4.99 (for ever)\nPro tools for ever');
    expect(list.text).toContain('Book — €9.00\nAn e-book');
    expect(list.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual([
      'Pro · 100 ⭐',
      'Pro · $4.99',
      'Book · €9.00',
    ]);

    await bed.press(list, 'Pro · $4.99');
    const invoice = await bed.pop();
    expect(invoice.invoice).toMatchObject({ title: 'Pro', currency: 'USD', total_amount: 499 });
    expect((await bed.pay(invoice)).ok).toBe(true);
    expect(await bed.popText()).toBe('Thank you! Pro is yours for ever.');
    bed.push('/me');
    expect(await bed.popText()).toMatch(/^What you have:\nPro — for ever\n\nYour purchases:\n.+ · Pro · \$4\.99$/);
  });
});
