// What /shop shows: each product with the prices this installation can take, and one button per
// product and way to pay (Stars; money through a Telegram invoice; money on a hosted checkout page).
// A button carries the product, the currency and the way, and is checked again when pressed.
import type { PaymentMethods } from '../../plugins/api.js';
import type { ShopProduct } from './config.js';
import { describePeriod, formatPrice, STARS, type Translate } from './format.js';

/** An invoice in Telegram (Stars, or money through the provider token), or a hosted checkout page. */
export type Via = 'invoice' | 'web';

export interface Way {
  currency: string;
  via: Via;
}

/** The ways this installation can take a product's prices, in the order its prices are listed. */
export function waysToPay(product: ShopProduct, methods: PaymentMethods): Way[] {
  return Object.keys(product.prices).flatMap((currency): Way[] => {
    if (currency === STARS) return [{ currency, via: 'invoice' }];
    return [
      ...(methods.telegram ? [{ currency, via: 'invoice' as const }] : []),
      ...(methods.checkout ? [{ currency, via: 'web' as const }] : []),
    ];
  });
}

export const canPay = (way: Way, methods: PaymentMethods): boolean =>
  way.currency === STARS || (way.via === 'invoice' ? methods.telegram : methods.checkout);

/** `shop:<product>:<currency>:<i|w>`: at most 43 of Telegram's 64 bytes of callback data. */
export const BUY_CALLBACK = /^shop:([a-z0-9][a-z0-9_-]{0,31}):([A-Z]{3}):([iw])$/;

const callbackData = (product: ShopProduct, way: Way): string =>
  `shop:${product.id}:${way.currency}:${way.via === 'web' ? 'w' : 'i'}`;

export function parseBuy(match: RegExpMatchArray): { productId: string; way: Way } {
  const [, productId = '', currency = '', via] = match;
  return { productId, way: { currency, via: via === 'w' ? 'web' : 'invoice' } };
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
      const label = t(way.via === 'web' ? 'webButton' : 'button', { title: product.title, price: price(way) });
      keyboard.push([{ text: label, callback_data: callbackData(product, way) }]);
    }
  }
  if (entries.length === 0) return { text: t('shopEmpty'), keyboard };
  return { text: [t('shopHeading'), ...entries, t('shopFooter')].join('\n\n'), keyboard };
}
