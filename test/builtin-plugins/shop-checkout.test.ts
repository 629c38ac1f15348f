// The shop with Stripe configured (STRIPE_SECRET_KEY, a fake Stripe speaking its API): a product
// priced in money gets a button that opens a Stripe Checkout page made for this user, and the
// signed checkout.session.completed webhook credits the purchase, which /me then shows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeStripe } from '../support/fake-stripe.js';
import { postStripeWebhook, signedDelivery, stripeEnv } from '../support/stripe-webhooks.js';

const PREMIUM = {
  id: 'premium',
  title: 'Premium',
  description: 'Premium for 30 days',
  prices: { XTR: 50, USD: 499 },
  grants: { key: 'premium', days: 30 },
};

describe('the shop with Stripe Checkout', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  const stripe = new FakeStripe();
  let bed: PluginTestBed;

  beforeAll(async () => {
    await stripe.start();
    bed = await createPluginTestBed({ pluginsDir, env: stripeEnv(stripe), enable: { shop: { products: [PREMIUM] } } });
  });

  afterAll(async () => {
    await bed?.close();
    await stripe.stop();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('pays by card on a Checkout page made for the user, credited by the signed webhook', async () => {
    bed.push('/shop');
    const list = await bed.pop();
    const buttons = list.reply_markup?.inline_keyboard.flat() ?? [];
    expect(buttons.map((button) => button.text)).toEqual(['Premium · 50 ⭐', 'Premium · $4.99 · web']);
    await bed.press(list, 'Premium · $4.99 · web');
    const offer = await bed.pop();
    const link = offer.reply_markup?.inline_keyboard.flat().find((button) => 'url' in button);
    const [session] = stripe.requestsTo('POST', '/v1/checkout/sessions');
    expect(session?.params).toMatchObject({ client_reference_id: String(bed.user.id), mode: 'payment' });
    expect(link && 'url' in link ? link.url : undefined).toMatch(/^https?:\/\//);

    const [pending] = await bed.platform.payments.ledger.ofUser(bed.user.id);
    expect(pending).toMatchObject({ provider: 'stripe', status: 'pending', amount: 499, currency: 'USD' });
    const { completed } = stripe.complete(pending?.providerId as string);
    expect((await postStripeWebhook(bed.platform.url, signedDelivery(completed))).status).toBe(200);

    bed.push('/me');
    expect(await bed.popText()).toMatch(/premium/i);
    expect(await bed.platform.payments.has(bed.user.id, 'premium')).toBe(true);
  });
});
