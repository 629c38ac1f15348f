// A plugin's handles on payments and entitlements: its products declared under its name (and taken
// off sale while it is off), invoices and links for them, refunds and history limited to them.
import { OmniError } from '../errors.js';
import { publicPayment } from '../payments/ledger.js';
import type { Payments } from '../payments/payments.js';
import { parseProducts } from '../payments/products.js';
import type { PluginEntitlements, PluginPayments } from './api.js';
import type { LoadedPlugin } from './loaded-plugin.js';

/** Without a payments service (the CLI's listing, some tests) every call says so. */
const unavailable = (): never => {
  throw new OmniError('PAYMENT_PROVIDER_UNCONFIGURED', 'payments are not available in this process');
};

export function pluginPayments(plugin: LoadedPlugin, payments: Payments | undefined): PluginPayments {
  const name = plugin.definition.name;
  const own = (product: string | null): boolean => product?.startsWith(`${name}/`) === true;
  return {
    products(products) {
      // Checked now, so that a bad product fails the setup (or the config hook) that declared it.
      plugin.products = parseProducts(name, products);
      if (plugin.active) payments?.declare(name, plugin.products);
    },
    invoice: async (chatId, product, options) =>
      payments ? payments.invoice(chatId, name, product, options?.currency) : unavailable(),
    invoiceLink: async (product, options) =>
      payments ? payments.invoiceLink(name, product, options?.currency) : unavailable(),
    checkoutLink: async (userId, product, options) =>
      payments ? payments.checkoutLink(userId, name, product, options?.currency, options?.provider) : unavailable(),
    async refund(paymentId, options) {
      if (!payments) return unavailable();
      const payment = await payments.ledger.get(paymentId);
      if (!payment || !own(payment.product))
        throw new OmniError('PAYMENT_NOT_FOUND', `${name} sold no payment ${paymentId}`);
      const refunded = await payments.refund(paymentId, {
        ...(options?.amount === undefined ? {} : { amount: options.amount }),
        actor: `plugin:${name}`,
      });
      return publicPayment(refunded);
    },
    async history(userId) {
      if (!payments) return unavailable();
      const mine = (await payments.ledger.ofUser(userId)).filter((payment) => own(payment.product));
      return mine.map(publicPayment);
    },
    get methods() {
      return {
        stars: true as const,
        telegram: payments?.telegramInvoices ?? false,
        checkout: payments?.listProviders().some((provider) => provider.checkout) ?? false,
        checkoutProviders:
          payments?.listProviders().flatMap((provider) => (provider.checkout ? [provider.id] : [])) ?? [],
      };
    },
  };
}

export function pluginEntitlements(payments: Payments | undefined): PluginEntitlements {
  return {
    has: async (userId, key) => (payments ? payments.has(userId, key) : unavailable()),
    list: async (userId) => (payments ? payments.entitlements(userId) : unavailable()),
  };
}
