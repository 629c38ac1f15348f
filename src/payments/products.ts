// What a plugin sells: products with a price per currency and the entitlement they grant, checked
// with zod when a plugin declares them; and the invoice payload that carries an offer to Telegram
// and back (at most 128 bytes), so that what the user agreed to is what is granted.
import { z } from 'zod';
import { OmniError } from '../errors.js';

/** A product id, or the key of an entitlement. */
export const productKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, _ and -; up to 32');

export const productSchema = z
  .object({
    id: productKey,
    title: z.string().min(1).max(32),
    description: z.string().min(1).max(255),
    /** Price per currency in minor units: `{ XTR: 50 }` is 50 Stars, `{ USD: 499 }` is $4.99. */
    prices: z
      .record(z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code, or XTR for Stars'), z.int().positive())
      .refine((prices) => Object.keys(prices).length > 0, 'at least one price'),
    /** `subscription` renews every `grants.days` (Stars subscriptions: 30 days) until cancelled. */
    kind: z.enum(['one-off', 'subscription']).default('one-off'),
    /** The entitlement a payment grants: its key, and for how many days (none: for ever). */
    grants: z.object({ key: productKey, days: z.int().positive().max(3660).optional() }).optional(),
  })
  .refine((product) => product.kind === 'one-off' || product.grants?.days !== undefined, {
    message: 'a subscription grants an entitlement for a number of days (its period)',
    path: ['grants', 'days'],
  });

export type ProductInput = z.input<typeof productSchema>;
export type Product = z.output<typeof productSchema>;

export const STARS = 'XTR';

/** Parses a plugin's products; a bad one is refused with the field that is wrong. */
export function parseProducts(plugin: string, products: readonly unknown[]): Product[] {
  const parsed = z.array(productSchema).safeParse(products);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OmniError('PAYMENT_PRODUCT_INVALID', `${plugin}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const seen = new Set<string>();
  for (const product of parsed.data) {
    if (seen.has(product.id))
      throw new OmniError('PAYMENT_PRODUCT_INVALID', `${plugin}: ${product.id} is declared twice`);
    seen.add(product.id);
  }
  return parsed.data;
}

/** An offer as the invoice carries it: whose product, at what price, granting what. */
export interface Offer {
  plugin: string;
  product: string;
  currency: string;
  amount: number;
  grant?: { key: string; days?: number };
}

const PAYLOAD_VERSION = 'o1';

export function encodeOffer(offer: Offer): string {
  const grant = offer.grant ? [offer.grant.key, offer.grant.days ?? ''] : ['', ''];
  return [PAYLOAD_VERSION, offer.plugin, offer.product, offer.currency, offer.amount, ...grant].join('|');
}

/** The offer in an invoice payload of ours; undefined for any other payload. */
export function decodeOffer(payload: string): Offer | undefined {
  const [version, plugin, product, currency, amount, key, days] = payload.split('|');
  if (version !== PAYLOAD_VERSION || !plugin || !product || !currency || !/^\d+$/.test(amount ?? '')) return undefined;
  const offer: Offer = { plugin, product, currency, amount: Number(amount) };
  if (key) offer.grant = days ? { key, days: Number(days) } : { key };
  return offer;
}
