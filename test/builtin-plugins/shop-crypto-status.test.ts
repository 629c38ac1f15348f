// The shop's checkout message follows its payment: the message with the provider's link is edited,
// in the user's language, as the payment is paid, refunded, expires, is confirming on the chain,
// underpaid or paid too late. Driven through Stripe (a fake Stripe and its signed webhooks) and, for
// the statuses only crypto providers report, by recording those provider events for the payment.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message, User } from 'grammy/types';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentChange } from '../../src/payments/provider.js';
import { FakeStripe } from '../support/fake-stripe.js';
import { postStripeWebhook, signedDelivery, stripeEnv } from '../support/stripe-webhooks.js';

const PREMIUM = {
  id: 'premium',
  title: 'Premium',
  description: 'Premium for 30 days',
  prices: { XTR: 50, USD: 499 },
  grants: { key: 'premium', days: 30 },
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const INTRO = 'Pay for Premium on the secure payment page; you will have it here as soon as the payment is through.';

describe('the checkout message, edited as its payment moves on', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  const stripe = new FakeStripe();
  let bed: PluginTestBed;
  let nextUser = 5001;

  beforeAll(async () => {
    await stripe.start();
    bed = await createPluginTestBed({ pluginsDir, env: stripeEnv(stripe), enable: { shop: { products: [PREMIUM] } } });
  });

  afterAll(async () => {
    await bed?.close();
    await stripe.stop();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  const someone = (language = 'en'): User => ({
    id: nextUser++,
    is_bot: false,
    first_name: 'Payer',
    language_code: language,
  });

  /** The user opens /shop and presses the product's web button: the message and the payment it opened. */
  async function checkout(user: User, button = 'Premium · $4.99 · web') {
    bed.push('/shop', user);
    const list = await bed.pop({ userId: user.id });
    await bed.press(list, button, { user });
    const offer = await bed.pop({ userId: user.id });
    const [payment] = await bed.platform.payments.ledger.ofUser(user.id);
    if (!payment) throw new Error('no payment was opened');
    await expect.poll(remembered).toContain(`checkout:${payment.id}`);
    return { offer, payment };
  }

  const nextEdit = async (user: User, of: Message): Promise<Message> => {
    const edit = await bed.pop({ userId: user.id });
    expect(edit.message_id).toBe(of.message_id);
    expect(edit.edit_date).toEqual(expect.any(Number));
    return edit;
  };

  let eventNumber = 0;
  const record = (providerId: string, change: DistributiveOmit<PaymentChange, 'providerId'>) =>
    bed.platform.payments.record({
      provider: 'stripe',
      eventId: `test-${eventNumber++}`,
      type: 'test',
      raw: {},
      change: { ...change, providerId } as PaymentChange,
    });

  const linkOf = (message: Message) => message.reply_markup?.inline_keyboard.flat().find((button) => 'url' in button);

  async function remembered(): Promise<string[]> {
    const rows = await bed.platform.database.db
      .selectFrom('plugin_storage')
      .select('key')
      .where('plugin', '=', 'shop')
      .execute();
    return rows.map((row) => row.key);
  }

  it('shows the payment waiting, then paid with the end of what it bought, then refunded', async () => {
    const user = someone();
    const { offer, payment } = await checkout(user);
    expect(offer.text).toBe(`${INTRO}\n\nWaiting for your payment.`);
    expect(linkOf(offer)).toMatchObject({ text: 'Pay $4.99', url: expect.stringMatching(/^https?:\/\//) });

    const { completed } = stripe.complete(payment.providerId);
    expect((await postStripeWebhook(bed.platform.url, signedDelivery(completed))).status).toBe(200);
    const paid = await nextEdit(user, offer);
    const [held] = await bed.platform.payments.entitlements(user.id);
    const until = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(held?.until as number);
    expect(paid.text).toBe(`${INTRO}\n\nThank you! Premium is yours until ${until}.`);
    expect(linkOf(paid)).toBeUndefined();

    await bed.platform.payments.refund(payment.id, { actor: 'test' });
    expect((await nextEdit(user, offer)).text).toBe(`${INTRO}\n\nThis payment was refunded.`);
    await expect.poll(remembered).not.toContain(`checkout:${payment.id}`);
  });

  it('shows an expired checkout, then the money that came after it expired, which unlocks nothing', async () => {
    const user = someone();
    const { offer, payment } = await checkout(user);
    const expired = stripe.expire(payment.providerId);
    expect((await postStripeWebhook(bed.platform.url, signedDelivery(expired))).status).toBe(200);
    const edit = await nextEdit(user, offer);
    expect(edit.text).toBe(`${INTRO}\n\nThe invoice expired before it was paid. Send /shop to start again.`);
    expect(linkOf(edit)).toBeUndefined();

    await record(payment.providerId, { kind: 'paid', amount: 499, currency: 'USD', expected: true });
    expect((await nextEdit(user, offer)).text).toBe(
      `${INTRO}\n\nYour payment arrived after the invoice had expired, so nothing was unlocked. Please ask /paysupport.`,
    );
    expect(await bed.platform.payments.has(user.id, 'premium')).toBe(false);
  });

  it('shows a payment confirming on the chain with its link, then underpaid, in the user’s language', async () => {
    const user = someone('de');
    const { offer, payment } = await checkout(user, 'Premium · 4,99\u00a0$ · Web');
    const intro = 'Bezahle Premium auf der sicheren Zahlungsseite; sobald die Zahlung durch ist, hast du es hier.';
    expect(offer.text).toBe(`${intro}\n\nWarte auf deine Zahlung.`);

    await record(payment.providerId, { kind: 'confirming' });
    const confirming = await nextEdit(user, offer);
    expect(confirming.text).toBe(`${intro}\n\nDeine Zahlung ist angekommen und wird auf der Chain bestätigt.`);
    expect(linkOf(confirming)).toMatchObject({ text: '4,99\u00a0$ bezahlen', url: linkOf(offer)?.url });

    await record(payment.providerId, { kind: 'underpaid', note: 'came 4.50 of 4.99' });
    const underpaid = await nextEdit(user, offer);
    expect(underpaid.text).toBe(
      `${intro}\n\nEs kam weniger als der Preis an, daher wurde nichts freigeschaltet. Bitte frag /paysupport.`,
    );
    expect(linkOf(underpaid)).toBeUndefined();
    expect(await bed.platform.payments.has(user.id, 'premium')).toBe(false);
  });

  it('lets go of a message Telegram will not edit, without counting it as the shop’s failure', async () => {
    const user = someone();
    const { offer, payment } = await checkout(user);
    await bed.emulator.call('deleteMessage', { chat_id: offer.chat.id, message_id: offer.message_id });

    await record(payment.providerId, { kind: 'confirming' });
    await expect.poll(remembered).not.toContain(`checkout:${payment.id}`);
    await record(payment.providerId, { kind: 'expired' });

    const shop = bed.platform.plugins.list().find((plugin) => plugin.name === 'shop');
    expect(shop).toMatchObject({ active: true, errorCount: 0, lastError: null });
    bed.push('/me', user);
    expect(await bed.popText({ userId: user.id })).toMatch(/expired/);
  });
});
