// NOWPayments' IPN signature, as properties: the sorted-keys HMAC of a body passes however its keys
// are ordered or spaced, and fails for any change to any value (at any depth), any added key, or any
// other secret; then over real HTTP on both databases: forged, tampered, re-signed with another
// secret, unsigned and non-JSON deliveries are answered 400, counted, and write nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OmniError } from '../../src/errors.js';
import { ipnSignature, signedIpn as verified } from '../../src/payments/providers/nowpayments-signature.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { NOWPAYMENTS_IPN_SECRET, postIpn, signedIpn } from '../support/fake-nowpayments.js';
import { singleMetric } from '../support/metrics-text.js';
import { nowPaymentsInvoice, useNowPaymentsPlatform } from '../support/nowpayments-platform.js';
import { openShop } from '../support/stripe-shop.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** IPN-like bodies: an object of JSON values, objects nested in objects and arrays. */
const body = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>, {
  minKeys: 1,
  maxKeys: 8,
});
const secret = fc.string({ minLength: 1, maxLength: 40 });

/** The same value with the keys of every object in a shuffled order (seeded by `seed`). */
function shuffled(value: Json, seed: number): Json {
  if (Array.isArray(value)) return value.map((item, index) => shuffled(item, seed + index));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const order = keys.map((key, index) => [key, (seed * 7919 + index * 104729) % 1009] as const);
  order.sort((a, b) => a[1] - b[1]);
  return Object.fromEntries(order.map(([key], index) => [key, shuffled(value[key] as Json, seed + index + 1)]));
}

/** Every path to a leaf (a primitive, an empty array or object), for changing one of them. */
function leaves(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [path] : value.flatMap((item, index) => leaves(item, [...path, index]));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? [path] : keys.flatMap((key) => leaves(value[key] as Json, [...path, key]));
  }
  return [path];
}

function changedAt(value: Json, path: (string | number)[]): Json {
  const copy = structuredClone(value) as Json;
  const [last, ...up] = [...path].reverse();
  let parent = copy as Record<string | number, Json>;
  for (const step of up.reverse()) parent = parent[step] as Record<string | number, Json>;
  if (last === undefined) return copy;
  const old = parent[last];
  // A different value of another kind, or the same kind changed: never equal to the old one.
  parent[last] = typeof old === 'string' ? `${old}x` : typeof old === 'number' ? `${old}` : old === null ? 0 : null;
  return copy;
}

const passes = (value: unknown, signature: string, key: string) => {
  try {
    verified(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), signature, key);
    return true;
  } catch (error) {
    expect((error as OmniError).code).toBe('PAYMENT_WEBHOOK_SIGNATURE');
    return false;
  }
};

describe('the NOWPayments IPN signature', () => {
  it('passes the right body and secret, whatever the order and spacing of its keys', () => {
    fc.assert(
      fc.property(body, secret, fc.nat(), (sent, key, seed) => {
        const signature = ipnSignature(sent, key);
        expect(passes(JSON.stringify(shuffled(sent, seed), null, seed % 3), signature, key)).toBe(true);
        expect(passes(sent, signature.toUpperCase(), key)).toBe(true);
      }),
    );
  });

  it('fails when any value, at any depth, is changed after signing', () => {
    fc.assert(
      fc.property(body, secret, fc.nat(), (sent, key, pick) => {
        const paths = leaves(sent);
        const path = paths[pick % paths.length] as (string | number)[];
        expect(passes(changedAt(sent, path), ipnSignature(sent, key), key)).toBe(false);
      }),
    );
  });

  it('fails when a key is added, or the secret is any other', () => {
    fc.assert(
      fc.property(body, secret, secret, fc.string({ maxLength: 12 }), (sent, key, other, added) => {
        fc.pre(!(added in sent));
        const signature = ipnSignature(sent, key);
        expect(passes({ ...sent, [added]: 1 }, signature, key)).toBe(false);
        expect(passes(sent, signature, other)).toBe(other === key);
      }),
    );
  });

  it('agrees with the fake NOWPayments, which sorts by a replacer of its own', () => {
    fc.assert(
      fc.property(body, (sent) => {
        const delivery = signedIpn(sent);
        expect(passes(delivery.body, delivery.signature, NOWPAYMENTS_IPN_SECRET)).toBe(true);
      }),
    );
  });

  it('refuses a missing or malformed signature and a body that is not JSON', () => {
    const good = ipnSignature({ a: 1 }, 'k');
    for (const [sent, signature] of [
      ['{"a":1}', undefined],
      ['{"a":1}', good.slice(2)],
      ['{"a":1}', `${good.slice(0, -1)}g`],
      ['{"a":1', good],
      ['', good],
    ] as const) {
      expect(() => verified(Buffer.from(sent), signature, 'k')).toThrowError(
        expect.objectContaining({ code: 'PAYMENT_WEBHOOK_SIGNATURE' }),
      );
    }
  });
});

describe.each(DATABASE_KINDS)('NOWPayments IPN door on %s', (kind) => {
  const fixture = useNowPaymentsPlatform(kind);

  it('answers 400 to forged, tampered, unsigned and non-JSON deliveries, writing nothing', async () => {
    const { platform, nowpayments } = fixture;
    openShop(platform);
    const invoiceId = await nowPaymentsInvoice(platform, 951);
    const finished = nowpayments.pay(invoiceId, 'finished');
    const genuine = signedIpn(finished);
    const eventsBefore = await platform.database.db.selectFrom('payment_events').select('id').execute();

    const deliveries = {
      forged: signedIpn(finished, 'a-guessed-secret'),
      tampered: { ...genuine, body: genuine.body.replace(`"invoice_id": ${invoiceId}`, '"invoice_id": 4000000999') },
      unsigned: { body: genuine.body },
      notJson: { body: 'payment_status=finished', signature: genuine.signature },
    };
    expect(deliveries.tampered.body).not.toBe(genuine.body);
    for (const [name, delivery] of Object.entries(deliveries)) {
      const answer = await postIpn(platform.url, delivery);
      expect([name, answer.status]).toEqual([name, 400]);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('PAYMENT_WEBHOOK_SIGNATURE');
    }
    expect(await platform.database.db.selectFrom('payment_events').select('id').execute()).toHaveLength(
      eventsBefore.length,
    );
    expect((await platform.payments.ledger.ofUser(951)).map((payment) => payment.status)).toEqual(['pending']);
    const metric = await singleMetric(platform, 'omnicore_payment_webhook_signature_failures_total');
    expect(metric).toMatch(/provider="nowpayments"} 4/);
    expect(platform.logs.join('')).not.toContain(NOWPAYMENTS_IPN_SECRET);

    // The genuine delivery still goes through.
    expect((await postIpn(platform.url, genuine)).status).toBe(200);
    expect(await platform.payments.has(951, 'premium')).toBe(true);
  });
});
