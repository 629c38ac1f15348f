// The BTCPay webhook's door, over real HTTP on both databases: a delivery signed with another secret,
// changed after signing, unsigned, or signed in another form is answered 400 and writes nothing,
// counted as a signature failure; and, as properties, any change to the body or the secret fails
// the check while the right pair always passes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../src/main.js';
import { validSignature } from '../../src/payments/providers/btcpay.js';
import { btcpayEvents, btcpayInvoice, statusOf, useBtcpayPlatform } from '../support/btcpay-platform.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { btcpaySignature, postBtcpayWebhook, signedBtcpayDelivery } from '../support/fake-btcpay.js';
import { singleMetric } from '../support/metrics-text.js';

async function signatureFailures(platform: Platform): Promise<number> {
  const text = await singleMetric(platform, 'omnicore_payment_webhook_signature_failures_total');
  return Number(/provider="btcpay"} (\d+)/.exec(text)?.[1] ?? 0);
}

describe.each(DATABASE_KINDS)('BTCPay webhook signatures on %s', (kind) => {
  const fixture = useBtcpayPlatform(kind);

  it('refuses forged, tampered, unsigned and malformed signatures, writing nothing', async () => {
    const { platform, btcpay } = fixture;
    const invoiceId = await btcpayInvoice(platform, 801);
    btcpay.pay(invoiceId);
    const genuine = signedBtcpayDelivery(btcpay.settle(invoiceId));
    const before = await signatureFailures(platform);

    const tampered = genuine.body.replace('"user": 801', '"user": 802');
    const deliveries = {
      forged: signedBtcpayDelivery(JSON.parse(genuine.body), 'a_guessed_secret'),
      tampered: { body: tampered, signature: genuine.signature },
      unsigned: { body: genuine.body },
      bare: { body: genuine.body, signature: genuine.signature.slice('sha256='.length) },
      short: { body: genuine.body, signature: genuine.signature.slice(0, -2) },
    };
    expect(tampered).not.toBe(genuine.body);
    for (const [name, delivery] of Object.entries(deliveries)) {
      const answer = await postBtcpayWebhook(platform.url, delivery);
      expect([name, answer.status]).toEqual([name, 400]);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('PAYMENT_WEBHOOK_SIGNATURE');
    }
    expect(await btcpayEvents(platform, invoiceId)).toEqual([]);
    expect(await statusOf(platform, invoiceId)).toBe('pending');
    expect((await signatureFailures(platform)) - before).toBe(5);
    expect(platform.logs.join('')).not.toContain('btcpay_webhook_secret_0123456789');

    expect((await postBtcpayWebhook(platform.url, genuine)).status).toBe(200);
    expect(await platform.payments.has(801, 'premium')).toBe(true);
  });

  it('refuses a signed delivery that is not JSON, writing nothing', async () => {
    const { platform } = fixture;
    const body = 'not json';
    const answer = await postBtcpayWebhook(platform.url, {
      body,
      signature: btcpaySignature(body, 'btcpay_webhook_secret_0123456789'),
    });
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('PAYMENT_EVENT_INVALID');
  });
});

describe('the BTCPay-Sig check', () => {
  const secret = fc.string({ minLength: 1, maxLength: 64 });
  const body = fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes));

  it('passes the body with the signature of its secret', () => {
    fc.assert(fc.property(body, secret, (raw, key) => validSignature(raw, btcpaySignature(raw, key), key)));
  });

  it('fails any other body under the same signature', () => {
    fc.assert(
      fc.property(body, body, secret, (raw, other, key) => {
        fc.pre(!raw.equals(other));
        return !validSignature(other, btcpaySignature(raw, key), key);
      }),
    );
  });

  it('fails a signature made with another secret', () => {
    fc.assert(
      fc.property(body, secret, secret, (raw, key, other) => {
        fc.pre(key !== other);
        return !validSignature(raw, btcpaySignature(raw, other), key);
      }),
    );
  });
});
