// The /shop buttons where several checkout providers are configured: one per provider for each
// product with a price in money (Stripe's "web", the crypto providers by name), each carrying its
// provider in callback data Telegram takes (64 bytes at most), and read back as it was written.
import { describe, expect, it } from 'vitest';
import { BUY_CALLBACK, parseBuy, renderCatalogue } from '../../src/builtin-plugins/shop/catalogue.js';
import type { ShopProduct } from '../../src/builtin-plugins/shop/config.js';
import { strings } from '../../src/builtin-plugins/shop/strings.js';
import type { PaymentMethods } from '../../src/plugins/api.js';
import { translator } from '../../src/plugins/strings.js';

const METHODS: PaymentMethods = {
  stars: true,
  telegram: false,
  checkout: true,
  checkoutProviders: ['stripe', 'cryptopay', 'nowpayments', 'btcpay'],
};

const LONGEST_ID = 'p'.repeat(32);
const PRODUCTS: ShopProduct[] = [
  { id: 'premium', title: 'Premium', description: 'Premium', prices: { XTR: 50, USD: 499 }, kind: 'one-off' as const },
  { id: 'stars', title: 'Stars only', description: 'In Stars', prices: { XTR: 10 }, kind: 'one-off' as const },
  { id: LONGEST_ID, title: 'Long', description: 'A long id', prices: { EUR: 100 }, kind: 'one-off' as const },
];

const speak = translator(strings);
const catalogue = (language: string) =>
  renderCatalogue(PRODUCTS, METHODS, language, (key, params) => speak(language, key, params));

describe('the /shop buttons with several checkout providers', () => {
  it('offers each price in money once per provider, the crypto providers by name', () => {
    const buttons = catalogue('en').keyboard.flat();
    expect(buttons.map((button) => button.text)).toEqual([
      'Premium · 50 ⭐',
      'Premium · $4.99 · web',
      'Premium · $4.99 · Crypto Pay',
      'Premium · $4.99 · NOWPayments',
      'Premium · $4.99 · BTCPay',
      'Stars only · 10 ⭐',
      'Long · €1.00 · web',
      'Long · €1.00 · Crypto Pay',
      'Long · €1.00 · NOWPayments',
      'Long · €1.00 · BTCPay',
    ]);
    expect(catalogue('de').keyboard.flat()[2]?.text).toBe('Premium · 4,99\u00a0$ · Crypto Pay');
  });

  it('carries the provider in callback data of at most 64 bytes, read back as written', () => {
    const ways = catalogue('en')
      .keyboard.flat()
      .map((button) => {
        expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
        const match = button.callback_data.match(BUY_CALLBACK);
        expect(match, button.callback_data).not.toBeNull();
        return parseBuy(match as RegExpMatchArray);
      });
    expect(ways[2]).toEqual({ productId: 'premium', way: { currency: 'USD', via: 'web', provider: 'cryptopay' } });
    expect(ways.at(-1)).toEqual({ productId: LONGEST_ID, way: { currency: 'EUR', via: 'web', provider: 'btcpay' } });
  });

  it('still reads a web button sent before buttons named their provider', () => {
    const match = 'shop:premium:USD:w'.match(BUY_CALLBACK) as RegExpMatchArray;
    expect(parseBuy(match)).toEqual({ productId: 'premium', way: { currency: 'USD', via: 'web' } });
  });
});
