// The shop, a built-in plugin on the public plugin API: it sells the products in its configuration
// through ctx.payments (Stars always; money by Telegram invoice or on a provider's hosted checkout
// page, card or crypto, where configured, the page's message edited as the payment goes on), shows users what they hold (/me) and answers /paysupport and /terms, which Telegram
// asks of every bot that takes payments. Off until an operator switches it on; it then offers one
// demo product until its products are configured.
import { definePlugin, type PluginBotContext } from '../../plugins/api.js';
import { type Account, renderAccount, renderThanks } from './account.js';
import { buy } from './buy.js';
import { BUY_CALLBACK, parseBuy, renderCatalogue, waysToPay } from './catalogue.js';
import { checkoutMessages } from './checkout.js';
import { shopConfig } from './config.js';
import { type ShopKey, strings } from './strings.js';

export default definePlugin({
  name: 'shop',
  version: '1.0.0',
  description: 'Sells products for Telegram Stars (and money where configured); /me shows what a user has',
  platform: '^0.1.0',
  configSchema: shopConfig,
  strings,

  setup(ctx) {
    const account = (c: PluginBotContext<ShopKey>): Account => ({
      products: ctx.config.products,
      plugin: ctx.name,
      language: c.language,
      t: c.t.bind(c),
    });

    // Declared at setup, so that a bad product fails it; again on every switch-on (the configuration
    // may have changed while the shop was off) and on every change of configuration.
    ctx.payments.products(ctx.config.products);
    const offer = (): void => {
      ctx.payments.products(ctx.config.products);
      for (const product of ctx.config.products) {
        if (waysToPay(product, ctx.payments.methods).length > 0) continue;
        ctx.log.warn(
          { product: product.id, currencies: Object.keys(product.prices) },
          'no price of this product can be paid here: give it a price in Stars (XTR), or configure ' +
            'TELEGRAM_PAYMENT_PROVIDER_TOKEN, STRIPE_SECRET_KEY or a crypto provider; /shop leaves it out',
        );
      }
    };
    ctx.onEnable(offer);
    ctx.onConfigChange(offer);

    ctx.command('shop', 'What you can buy', (c) => {
      const { text, keyboard } = renderCatalogue(ctx.config.products, ctx.payments.methods, c.language, c.t.bind(c));
      return c.reply(text, keyboard.length > 0 ? { reply_markup: { inline_keyboard: keyboard } } : {});
    });

    const checkout = checkoutMessages(ctx);
    ctx.composer.callbackQuery(BUY_CALLBACK, (c) => {
      const { productId, way } = parseBuy(c.match as RegExpMatchArray);
      return buy(ctx, checkout, c, c.callbackQuery.from.id, productId, way);
    });
    ctx.on('paymentUpdated', ({ payment }) => checkout.update(payment));

    const showAccount = async (c: PluginBotContext<ShopKey>) => {
      const userId = c.from?.id;
      if (userId === undefined) return;
      const [held, bought] = await Promise.all([ctx.entitlements.list(userId), ctx.payments.history(userId)]);
      return c.reply(renderAccount(account(c), held, bought));
    };
    ctx.command('me', 'What you have bought, and until when', showAccount);
    ctx.command('subscription', 'Your subscriptions and purchases (as /me)', showAccount);

    ctx.command('paysupport', 'Help with a payment', (c) => c.reply(ctx.config.supportText ?? c.t('support')));
    ctx.command('terms', 'The terms of purchases in this bot', (c) => c.reply(ctx.config.termsText ?? c.t('terms')));

    // The platform recorded the payment before plugins run, so it is in the ledger and its
    // entitlement in force by now. Payments of other plugins' products are theirs to answer.
    ctx.composer.on('message:successful_payment', async (c, next) => {
      const paid = c.message.successful_payment;
      const payment = (await ctx.payments.history(c.from.id)).find(
        (candidate) => candidate.providerId === paid.telegram_payment_charge_id,
      );
      if (!payment) return next();
      const renewal = paid.is_recurring === true && paid.is_first_recurring !== true;
      const held = await ctx.entitlements.list(c.from.id);
      return c.reply(renderThanks(account(c), payment, held, renewal));
    });
  },
});
