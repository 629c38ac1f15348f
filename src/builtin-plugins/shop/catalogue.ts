// What /shop shows: each product with the prices this installation can take, and one button per
// product and way to pay (Stars; money through a Telegram invoice; money on each provider's hosted
// checkout page: Stripe, or a crypto provider's invoice). A button carries the product, the
// currency, the way and the provider, and is checked again when pressed.
import type { PaymentMethods } from '../../plugins/api.js';
import type { ShopProduct } from './config.js';
import { describePeriod, formatPrice, STARS, type Translate } from './format.js';

/** An invoice in Telegram (Stars, or money through the provider token), or a hosted checkout page. */
export type Via = 'invoice' | 'web';

export interface Way {
  currency: string;
  via: Via;
  /** The checkout provider of a `web` way; absent on buttons sent before there were several: the first. */
  provider?: string;
}

/** Stripe's page takes cards; every other checkout provider is a crypto provider, named for the user. */
export const STRIPE = 'stripe';
const CRYPTO_NAMES: Record<string, string> = { cryptopay: 'Crypto Pay', nowpayments: 'NOWPayments', btcpay: 'BTCPay' };

export const providerName = (provider: string): string => CRYPTO_NAMES[provider] ?? provider;

/** The ways this installation can take a product's prices, in the order its prices are listed. */
export function waysToPay(product: ShopProduct, methods: PaymentMethods): Way[] {
  return Object.keys(product.prices).flatMap((currency): Way[] => {
    if (currency === STARS) return [{ currency, via: 'invoice' }];
    return [
      ...(methods.telegram ? [{ currency, via: 'invoice' as const }] : []),
      ...methods.checkoutProviders.map((provider) => ({ currency, via: 'web' as const, provider })),
    ];
  });
}

export function canPay(way: Way, methods: PaymentMethods): boolean {
  if (way.currency === STARS) return true;
  if (way.via === 'invoice') return methods.telegram;
  return way.provider === undefined ? methods.checkout : methods.checkoutProviders.includes(way.provider);
}

/** `shop:<product>:<currency>:<i|w>[:<provider>]`: at most 60 of Telegram's 64 bytes of callback data. */
export const BUY_CALLBACK = /^shop:([a-z0-9][a-z0-9_-]{0,31}):([A-Z]{3}):([iw])(?::([a-z0-9_-]{1,16}))?$/;

const callbackData = (product: ShopProduct, way: Way): string =>
  `shop:${product.id}:${way.currency}:${way.via === 'web' ? `w:${way.provider}` : 'i'}`;

export function parseBuy(match: RegExpMatchArray): { productId: string; way: Way } {
  const [, productId = '', currency = '', via, provider] = match;
  if (via === 'i') return { productId, way: { currency, via: 'invoice' } };
  return { productId, way: { currency, via: 'web', ...(provider === undefined ? {} : { provider }) } };
}

/** A button's words: the product and price, and how it is paid where there is more than one way. */
function buttonLabel(way: Way, params: { title: string; price: string }, t: Translate): string {
  if (way.via === 'invoice') return t('button', params);
  if (way.provider === undefined || way.provider === STRIPE) return t('webButton', params);
  return t('providerButton', { ...params, provider: providerName(way.provider) });
}

export interface ShopMessage {
  text: string;
  keyboard: { text: string; callback_data: string }[][];
}

/** The /shop message: the products that can be paid here, each priced in what can be taken. */
export function renderCatalogue(
  products: readonly ShopProduct[],
  methods: PaymentMethods,
  language: string,
  t: Translate,
): ShopMessage {
  const entries: string[] = [];
  const keyboard: ShopMessage['keyboard'] = [];
  for (const product of products) {
    const ways = waysToPay(product, methods);
    if (ways.length === 0) continue;
    const price = (way: Way): string => formatPrice(product.prices[way.currency] as number, way.currency, language);
    const prices = [...new Set(ways.map(price))].join(' · ');
    const period = describePeriod(product, t);
    entries.push(`${product.title} — ${prices}${period ? ` (${period})` : ''}\n${product.description}`);
    for (const way of ways) {
      const label = buttonLabel(way, { title: product.title, price: price(way) }, t);
      keyboard.push([{ text: label, callback_data: callbackData(product, way) }]);
    }
  }
  if (entries.length === 0) return { text: t('shopEmpty'), keyboard };
  return { text: [t('shopHeading'), ...entries, t('shopFooter')].join('\n\n'), keyboard };
}
