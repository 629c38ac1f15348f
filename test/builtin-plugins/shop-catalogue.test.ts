// The shop with products of the operator's: /shop offers each product once per way to pay this
// installation has (a price in dollars is left out with neither a provider token nor Stripe); a
// Stars subscription is sold through an invoice link; a new price or a removed product refuses
// what was offered before; a provider's refusal is told to the user; switched off, the shop's
// commands are gone and its invoices refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message, User } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PRO = {
  id: 'pro',
  title: 'Pro',
  description: 'Pro tools for a week',
  prices: { XTR: 100, USD: 499 },
  grants: { key: 'pro', days: 7 },
};
const CLUB = {
  id: 'club',
  title: 'Club',
  description: 'The monthly club',
  prices: { XTR: 250 },
  kind: 'subscription',
  grants: { key: 'club', days: 30 },
};
const CARDS_ONLY = { id: 'cards', title: 'Cards', description: 'Paid by card only', prices: { EUR: 900 } };
const PRODUCTS = [PRO, CLUB, CARDS_ONLY];

const user = (id: number): User => ({ id, is_bot: false, first_name: `User ${id}` });

describe('the shop with configured products', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({
      pluginsDir,
      // Quiet about what this test provokes on purpose: a product nobody can pay, a refused invoice.
      env: { LOG_LEVEL: 'error' },
      enable: { shop: { products: PRODUCTS } },
    });
  });

  afterAll(async () => {
    await bed?.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  const shop = async (from: User): Promise<Message> => {
    bed.push('/shop', from);
    return bed.pop({ userId: from.id });
  };

  /** Presses a product's button under a fresh /shop and returns what the bot sent for it. */
  async function choose(from: User, button: string): Promise<Message> {
    await bed.press(await shop(from), button, { user: from });
    return bed.pop({ userId: from.id });
  }

  const shopErrors = () => bed.platform.plugins.list().find((plugin) => plugin.name === 'shop')?.errorCount;

  it('offers each product once per way to pay here, and leaves out what cannot be paid', async () => {
    const list = await shop(user(2001));
    expect(list.text).toBe(
      [
        'What you can buy:',
        'Pro — 100 ⭐ (for 7 days)\nPro tools for a week',
        'Club — 250 ⭐ (renews every 30 days until you cancel)\nThe monthly club',
        'Before you pay: /terms. Questions about a payment: /paysupport. What you have: /me.',
      ].join('\n\n'),
    );
    expect(list.reply_markup?.inline_keyboard.flat().map((button) => button.text)).toEqual([
      'Pro · 100 ⭐',
      'Club · 250 ⭐',
    ]);
  });

  it('sells a Stars subscription through an invoice link, and thanks the subscriber', async () => {
    const buyer = user(2002);
    const offer = await choose(buyer, 'Club · 250 ⭐');
    expect(offer.text).toBe('Tap below to subscribe to Club.');
    const button = offer.reply_markup?.inline_keyboard[0]?.[0];
    expect(button?.text).toBe('Subscribe · 250 ⭐');
    const link = button && 'url' in button ? (button.url as string) : '';
    expect(link).toMatch(/^https:\/\/t\.me\/\$/);

    expect((await bed.pay(link, { user: buyer })).ok).toBe(true);
    expect(await bed.popText({ userId: buyer.id })).toMatch(/^Thank you! Club is yours until \w{3} \d{1,2}, \d{4}\.$/);
    bed.push('/me', buyer);
    expect(await bed.popText({ userId: buyer.id })).toMatch(
      /^What you have:\nClub — until .+\n\nYour purchases:\n.+ · Club · 250 ⭐$/,
    );
  });

  it('refuses an invoice made before the price changed, with the reason, and offers the new price', async () => {
    const buyer = user(2003);
    const invoice = await choose(buyer, 'Pro · 100 ⭐');
    expect(invoice.invoice).toMatchObject({ currency: 'XTR', total_amount: 100 });
    const list = await shop(buyer);

    await bed.platform.plugins.configure('shop', { products: [{ ...PRO, prices: { XTR: 120 } }] });
    expect(await bed.pay(invoice, { user: buyer })).toEqual({
      ok: false,
      reason: 'declined',
      errorMessage: 'The price has changed since this invoice was made; please ask for a new one.',
    });
    expect((await shop(buyer)).text).toContain('Pro — 120 ⭐ (for 7 days)');

    // The buttons of the list sent before the change: an invoice says the price asked now, and a
    // product no longer sold is said to be gone.
    await bed.press(list, 'Pro · 100 ⭐', { user: buyer });
    const repriced = await bed.pop({ userId: buyer.id });
    expect(repriced.invoice).toMatchObject({ currency: 'XTR', total_amount: 120 });
    expect((await bed.pay(repriced, { user: buyer })).ok).toBe(true);
    expect(await bed.popText({ userId: buyer.id })).toMatch(/^Thank you! Pro is yours until /);
    await bed.press(list, 'Club · 250 ⭐', { user: buyer });
    expect(await bed.popText({ userId: buyer.id })).toBe(
      'That is no longer on sale at that price. Send /shop to see what is on sale now.',
    );
  });

  it('tells the user when the payment cannot be started, without counting it against the plugin', async () => {
    const errorsBefore = shopErrors();
    // Telegram takes at most 100,000 Stars for one invoice.
    await bed.platform.plugins.configure('shop', {
      products: [{ ...PRO, id: 'gold', title: 'Gold', prices: { XTR: 200_000 } }],
    });
    expect((await choose(user(2004), 'Gold · 200,000 ⭐')).text).toBe(
      'The payment could not be started. Please try again in a few minutes.',
    );
    expect(shopErrors()).toBe(errorsBefore);
  });

  it('switched off, has no commands and its invoices are refused; back on, it sells what it is configured with', async () => {
    await bed.platform.plugins.configure('shop', { products: PRODUCTS });
    const buyer = user(2005);
    const invoice = await choose(buyer, 'Pro · 100 ⭐');
    await bed.platform.plugins.setEnabled('shop', false);
    bed.push('/shop', buyer);
    expect(await bed.popText({ userId: buyer.id })).toMatch(/^I don't know \/shop/);
    expect(await bed.pay(invoice, { user: buyer })).toEqual({
      ok: false,
      reason: 'declined',
      errorMessage: 'This product is no longer offered.',
    });

    await bed.platform.plugins.setEnabled('shop', true);
    expect((await bed.pay(invoice, { user: buyer })).ok).toBe(true);
    expect(await bed.popText({ userId: buyer.id })).toMatch(/^Thank you! Pro is yours until /);

    // A price changed while the shop was off is the price once it is back on.
    const earlier = await choose(buyer, 'Pro · 100 ⭐');
    await bed.platform.plugins.setEnabled('shop', false);
    await bed.platform.plugins.configure('shop', { products: [{ ...PRO, prices: { XTR: 130 } }] });
    await bed.platform.plugins.setEnabled('shop', true);
    expect(await bed.pay(earlier, { user: buyer })).toMatchObject({ ok: false, reason: 'declined' });
    expect((await shop(buyer)).text).toContain('Pro — 130 ⭐ (for 7 days)');
  });
});
