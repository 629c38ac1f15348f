// The Crypto Pay webhook's door. Over real HTTP on both databases: a delivery signed with another
// token, altered after signing, unsigned, or with a malformed signature is answered 400, writes
// nothing and is summarised into a signature_failure security event; a signed body that is not an
// update is refused without writing anything. As properties of the provider's check: the right body
// and token always pass; any change to the body, or any other token, fails.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OmniError } from '../../src/errors.js';
import { cryptoPayProvider } from '../../src/payments/providers/cryptopay.js';
import { cryptoPayEvents, cryptoPayInvoice, useCryptoPayPlatform } from '../support/cryptopay-platform.js';
import { DATABASE_KINDS } from '../support/databases.js';
import {
  CRYPTOPAY_TEST_TOKEN,
  cryptoPaySignature,
  postCryptoPayWebhook,
  signedCryptoPayDelivery,
} from '../support/fake-cryptopay.js';
import { signatureFailureSummaries } from '../support/signature-failures.js';

async function errorCode(answer: Response): Promise<string> {
  return ((await answer.json()) as { error: { code: string } }).error.code;
}

describe.each(DATABASE_KINDS)('Crypto Pay webhook signatures on %s', (kind) => {
  const fixture = useCryptoPayPlatform(kind);

  it('refuses forged, tampered and unsigned deliveries, writing nothing', async () => {
    const { platform, cryptopay } = fixture;
    const { invoiceId } = await cryptoPayInvoice(platform, 801);
    const update = cryptopay.pay(invoiceId);
    const genuine = signedCryptoPayDelivery(update);

    const deliveries = {
      forged: signedCryptoPayDelivery(update, '99999:AAanotherAppsToken'),
      tampered: { ...genuine, body: genuine.body.replace('"amount":"4.99"', '"amount":"0.01"') },
      unsigned: { body: genuine.body },
      malformed: { ...genuine, signature: `${genuine.signature.slice(0, 60)}zzzz` },
      short: { ...genuine, signature: genuine.signature.slice(0, 32) },
    };
    expect(deliveries.tampered.body).not.toBe(genuine.body);
    for (const [name, delivery] of Object.entries(deliveries)) {
      const answer = await postCryptoPayWebhook(platform.url, delivery);
      expect([name, answer.status, await errorCode(answer)]).toEqual([name, 400, 'PAYMENT_WEBHOOK_SIGNATURE']);
    }

    expect(await cryptoPayEvents(platform, `${invoiceId}:paid`)).toBe(0);
    expect((await platform.payments.ledger.ofUser(801)).map((payment) => payment.status)).toEqual(['pending']);
    expect(await platform.payments.has(801, 'premium')).toBe(false);
    const summary = await signatureFailureSummaries(platform, 5);
    expect(summary.events).toBeLessThan(5);
    expect(summary.senders).toEqual(new Set(['127.0.0.1 cryptopay']));
    expect(platform.logs.join('')).not.toContain(CRYPTOPAY_TEST_TOKEN);

    // The genuine delivery still goes through.
    expect((await postCryptoPayWebhook(platform.url, genuine)).status).toBe(200);
    expect(await platform.payments.has(801, 'premium')).toBe(true);
  });

  it('refuses a signed body that is not an invoice update, writing nothing', async () => {
    const { platform } = fixture;
    const before = await platform.database.db.selectFrom('payment_events').select('id').execute();
    for (const body of ['not json', JSON.stringify({ update_id: 1, update_type: 'invoice_paid' })]) {
      const answer = await postCryptoPayWebhook(platform.url, {
        body,
        signature: cryptoPaySignature(body, CRYPTOPAY_TEST_TOKEN),
      });
      expect([answer.status, await errorCode(answer)]).toEqual([400, 'PAYMENT_EVENT_INVALID']);
    }
    const after = await platform.database.db.selectFrom('payment_events').select('id').execute();
    expect(after).toHaveLength(before.length);
  });
});

describe('Crypto Pay signature check', () => {
  const paidUpdate = (id: number) =>
    JSON.stringify({
      update_id: id,
      update_type: 'invoice_paid',
      request_date: '2026-11-30T00:00:00.000Z',
      payload: { invoice_id: id, status: 'paid', currency_type: 'fiat', fiat: 'USD', amount: '4.99' },
    });
  const token = fc.stringMatching(/^\d{1,6}:[A-Za-z0-9_-]{10,40}$/);
  const verdict = (body: Buffer, signature: string, appToken: string) => {
    const provider = cryptoPayProvider({ token: appToken, returnUrl: () => undefined });
    try {
      provider.webhook?.(body, { 'crypto-pay-api-signature': signature });
      return 'passed';
    } catch (error) {
      return (error as OmniError).code;
    }
  };

  it('passes the body and token it was signed with', () => {
    fc.assert(
      fc.property(token, fc.integer({ min: 1, max: 1e9 }), (appToken, id) => {
        const body = Buffer.from(paidUpdate(id));
        expect(verdict(body, cryptoPaySignature(body, appToken), appToken)).toBe('passed');
      }),
    );
  });

  it('fails any change to the body', () => {
    fc.assert(
      fc.property(
        token,
        fc.integer({ min: 1, max: 1e9 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (appToken, id, at, flip) => {
          const body = Buffer.from(paidUpdate(id));
          const signature = cryptoPaySignature(body, appToken);
          const changed = Buffer.from(body);
          const index = at % changed.length;
          changed[index] = (changed[index] as number) ^ flip;
          expect(verdict(changed, signature, appToken)).toBe('PAYMENT_WEBHOOK_SIGNATURE');
          // A byte more or less is a change too.
          expect(verdict(Buffer.concat([body, Buffer.from(' ')]), signature, appToken)).toBe(
            'PAYMENT_WEBHOOK_SIGNATURE',
          );
          expect(verdict(body.subarray(0, index), signature, appToken)).toBe('PAYMENT_WEBHOOK_SIGNATURE');
        },
      ),
    );
  });

  it('fails a signature made with any other token', () => {
    fc.assert(
      fc.property(token, token, fc.integer({ min: 1, max: 1e9 }), (appToken, other, id) => {
        fc.pre(appToken !== other);
        const body = Buffer.from(paidUpdate(id));
        expect(verdict(body, cryptoPaySignature(body, other), appToken)).toBe('PAYMENT_WEBHOOK_SIGNATURE');
      }),
    );
  });
});
