// The Stripe webhook's door, over real HTTP on both databases: a delivery signed with another
// secret, altered after signing, replayed past the SDK's 5-minute tolerance, unsigned or empty is answered
// 400 in the catalogue's shape, writes nothing, is counted by a metric and summarised into a
// signature_failure security event; only configured providers with webhooks have the route; the
// body has a limit; a signed event the ledger cannot read is refused without writing anything.
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/main.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { singleMetric } from '../support/metrics-text.js';
import { signatureFailureSummaries } from '../support/signature-failures.js';
import { useStripePlatform } from '../support/stripe-platform.js';
import { checkoutSession, openShop, recordedEvents } from '../support/stripe-shop.js';
import { postStripeWebhook, signedDelivery } from '../support/stripe-webhooks.js';

async function errorOf(answer: Response): Promise<{ code: string; message: string }> {
  return ((await answer.json()) as { error: { code: string; message: string } }).error;
}

async function signatureFailures(platform: Platform): Promise<number> {
  const text = await singleMetric(platform, 'omnicore_payment_webhook_signature_failures_total');
  return Number(/provider="stripe"} (\d+)/.exec(text)?.[1] ?? 0);
}

describe.each(DATABASE_KINDS)('Stripe webhook signatures on %s', (kind) => {
  const fixture = useStripePlatform(kind);

  it('refuses forged, tampered, replayed and unsigned deliveries, writing nothing', async () => {
    const { platform, stripe } = fixture;
    openShop(platform);
    const sessionId = await checkoutSession(platform, 301, 'premium');
    const { completed } = stripe.complete(sessionId);
    const genuine = signedDelivery(completed);
    const before = await signatureFailures(platform);

    const deliveries = {
      forged: signedDelivery(completed, { secret: 'whsec_guessed' }),
      tampered: { ...genuine, body: genuine.body.replace('"amount_total": 499', '"amount_total": 1') },
      replayed: signedDelivery(completed, { timestamp: Math.floor(Date.now() / 1000) - 301 }),
      unsigned: { body: genuine.body },
    };
    expect(deliveries.tampered.body).not.toBe(genuine.body);
    for (const [name, delivery] of Object.entries(deliveries)) {
      const answer = await postStripeWebhook(platform.url, delivery);
      expect([name, answer.status]).toEqual([name, 400]);
      expect(await answer.json()).toEqual({
        ok: false,
        error: { code: 'PAYMENT_WEBHOOK_SIGNATURE', message: expect.stringMatching(/^the payment webhook signature/) },
      });
    }

    // Nothing at all, not even a content type.
    const empty = await fetch(`${platform.url}/payments/stripe/webhook`, { method: 'POST' });
    expect([empty.status, (await errorOf(empty)).code]).toEqual([400, 'PAYMENT_WEBHOOK_SIGNATURE']);

    expect(await recordedEvents(platform, completed.id)).toBe(0);
    expect((await platform.payments.ledger.ofUser(301)).map((payment) => payment.status)).toEqual(['pending']);
    expect(await platform.payments.has(301, 'premium')).toBe(false);
    expect((await signatureFailures(platform)) - before).toBe(5);
    // Summarised per address and provider: one event, or a few on a slow machine, counting the five.
    const summary = await signatureFailureSummaries(platform, 5);
    expect(summary.events).toBeLessThan(5);
    expect(summary.senders).toEqual(new Set(['127.0.0.1 stripe']));
    expect(platform.logs.join('')).not.toContain('whsec_test_0123456789abcdef');

    // The genuine delivery still goes through.
    expect((await postStripeWebhook(platform.url, genuine)).status).toBe(200);
    expect(await platform.payments.has(301, 'premium')).toBe(true);
  });

  it('has a webhook route only for configured providers that take webhooks', async () => {
    const { platform } = fixture;
    for (const provider of ['paypal', 'stars']) {
      const answer = await fetch(`${platform.url}/payments/${provider}/webhook`, { method: 'POST', body: '{}' });
      expect([provider, answer.status]).toEqual([provider, 404]);
      expect((await errorOf(answer)).code).toBe('OMNI_NOT_FOUND');
    }
  });

  it('refuses a body over its limit with 413', async () => {
    const { platform } = fixture;
    const answer = await postStripeWebhook(platform.url, { body: 'x'.repeat(600 * 1024), signature: 't=1,v1=00' });
    expect(answer.status).toBe(413);
    expect((await errorOf(answer)).code).toBe('OMNI_BODY_TOO_LARGE');
  });

  it('refuses a signed event the ledger cannot read, writing nothing', async () => {
    const { platform, stripe } = fixture;
    const unreadable = stripe.event('charge.refunded', { id: 'ch_test_odd', object: 'charge', amount_refunded: '12' });
    const answer = await postStripeWebhook(platform.url, signedDelivery(unreadable));
    expect(answer.status).toBe(400);
    expect(await errorOf(answer)).toEqual({
      code: 'PAYMENT_EVENT_INVALID',
      message: expect.stringContaining('amount_refunded'),
    });
    expect(await recordedEvents(platform, unreadable.id)).toBe(0);
  });
});
