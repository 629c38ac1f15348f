// A press on a /shop button: the invoice in the chat, or (a Stars subscription) the link Telegram
// subscribes through, or the hosted checkout page of the provider pressed. A product gone or repriced since the list was
// sent, a way of paying not configured, a provider that fails: each becomes a sentence for the
// user and a line in the log, not a failure of the plugin.
import { OmniError, type PluginBotContext, type PluginContext } from '../../plugins/api.js';
import { canPay, type Way } from './catalogue.js';
import type { checkoutMessages } from './checkout.js';
import type { ShopConfig } from './config.js';
import { formatPrice, STARS } from './format.js';
import type { ShopKey } from './strings.js';

type Shop = PluginContext<ShopConfig, ShopKey>;
type Chat = PluginBotContext<ShopKey>;
type Checkout = ReturnType<typeof checkoutMessages>;

/** What the user is told when the platform refuses to start a payment, by error code. */
const PROBLEMS: Partial<Record<string, ShopKey>> = {
  PAYMENT_PRODUCT_UNKNOWN: 'gone',
  PAYMENT_CURRENCY_UNPRICED: 'gone',
  PAYMENT_PROVIDER_UNCONFIGURED: 'unavailable',
  PAYMENT_PROVIDER_FAILED: 'failed',
  PAYMENT_PRODUCT_INVALID: 'failed',
};

export async function buy(
  shop: Shop,
  checkout: Checkout,
  c: Chat,
  userId: number,
  productId: string,
  way: Way,
): Promise<unknown> {
  await c.answerCallbackQuery();
  const product = shop.config.products.find((candidate) => candidate.id === productId);
  const amount = product?.prices[way.currency];
  if (!product || amount === undefined) return c.reply(c.t('gone'));
  if (!canPay(way, shop.payments.methods)) return c.reply(c.t('unavailable'));
  const price = formatPrice(amount, way.currency, c.language);
  const options = { currency: way.currency };
  try {
    if (way.via === 'web') {
      const provider = way.provider ?? (shop.payments.methods.checkoutProviders[0] as string);
      return await checkout.send(c, userId, product, way.currency, provider);
    }
    if (product.kind === 'subscription' && way.currency === STARS) {
      // Telegram makes Stars subscriptions only from invoice links.
      const url = await shop.payments.invoiceLink(product.id, options);
      return await c.reply(c.t('subscribeText', { title: product.title }), {
        reply_markup: { inline_keyboard: [[{ text: c.t('subscribeButton', { price }), url }]] },
      });
    }
    return await shop.payments.invoice(c.chat?.id ?? userId, product.id, options);
  } catch (error) {
    const problem = error instanceof OmniError ? PROBLEMS[error.code] : undefined;
    if (!problem) throw error;
    shop.log.warn({ err: error, product: product.id, currency: way.currency }, 'could not start a payment');
    return c.reply(c.t(problem));
  }
}
