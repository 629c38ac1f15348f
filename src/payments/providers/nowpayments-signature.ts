// NOWPayments' IPN signature (x-nowpayments-sig): hex HMAC-SHA512, keyed with the IPN secret, over
// the body parsed and serialised again with the keys of every object sorted, so the order in which
// the body was sent does not matter, and every value does.
import { createHmac } from 'node:crypto';
import { OmniError } from '../../errors.js';
import { sameBytes } from '../../lib/same-bytes.js';

/** The body as NOWPayments signs it: JSON with the keys of every object, at every depth, sorted. */
export function sortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties: a key named __proto__ stays a key, as it was sent.
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}

export function ipnSignature(parsed: unknown, secret: string): string {
  return createHmac('sha512', secret).update(sortedJson(parsed)).digest('hex');
}

/** The delivery's body, parsed, once its signature is found right; PAYMENT_WEBHOOK_SIGNATURE otherwise. */
export function signedIpn(body: Buffer, signature: string | string[] | undefined, secret: string): unknown {
  if (typeof signature !== 'string' || !/^[0-9a-f]{128}$/i.test(signature)) {
    throw new OmniError('PAYMENT_WEBHOOK_SIGNATURE', 'nowpayments: no x-nowpayments-sig of 128 hex digits');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    // What is signed is the parsed body: one that does not parse carries no valid signature.
    throw new OmniError('PAYMENT_WEBHOOK_SIGNATURE', 'nowpayments: the body is not JSON');
  }
  const expected = Buffer.from(ipnSignature(parsed, secret), 'hex');
  if (!sameBytes(expected, Buffer.from(signature, 'hex'))) {
    throw new OmniError('PAYMENT_WEBHOOK_SIGNATURE', 'nowpayments: the signature does not match the body');
  }
  return parsed;
}
