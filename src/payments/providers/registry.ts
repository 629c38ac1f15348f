// The payment providers this installation has configured, from the environment: each provider is a
// small file behind the PaymentProvider interface, listed here. Stars need no configuration and
// are always there (payments.ts).
import type { Config } from '../../config/env.js';
import type { PaymentProvider } from '../provider.js';
import { btcpayProvider } from './btcpay.js';
import { cryptoPayProvider } from './cryptopay.js';
import { nowPaymentsProvider } from './nowpayments.js';
import { stripeProvider } from './stripe.js';

export interface ProviderContext {
  /** The bot's username once it has reached the Bot API: hosted checkout pages send the buyer back to its chat. */
  botUsername: () => string | undefined;
}

export function paymentProviders(config: Config, context: ProviderContext): PaymentProvider[] {
  const providers: PaymentProvider[] = [];
  // Hosted pages send the buyer back to the bot's chat.
  const returnUrl = (): string | undefined => {
    const username = context.botUsername();
    return username ? `https://t.me/${username}` : undefined;
  };
  if (config.STRIPE_SECRET_KEY) {
    providers.push(
      stripeProvider({
        secretKey: config.STRIPE_SECRET_KEY,
        ...(config.STRIPE_WEBHOOK_SECRET ? { webhookSecret: config.STRIPE_WEBHOOK_SECRET } : {}),
        ...(config.STRIPE_API_ROOT ? { apiRoot: config.STRIPE_API_ROOT } : {}),
        returnUrl,
      }),
    );
  }
  if (config.CRYPTOPAY_TOKEN) {
    providers.push(
      cryptoPayProvider({
        token: config.CRYPTOPAY_TOKEN,
        ...(config.CRYPTOPAY_API_ROOT ? { apiRoot: config.CRYPTOPAY_API_ROOT } : {}),
        returnUrl,
      }),
    );
  }
  if (config.NOWPAYMENTS_API_KEY) {
    providers.push(
      nowPaymentsProvider({
        apiKey: config.NOWPAYMENTS_API_KEY,
        ...(config.NOWPAYMENTS_IPN_SECRET ? { ipnSecret: config.NOWPAYMENTS_IPN_SECRET } : {}),
        ...(config.NOWPAYMENTS_API_ROOT ? { apiRoot: config.NOWPAYMENTS_API_ROOT } : {}),
        ...(config.WEBHOOK_URL ? { publicUrl: config.WEBHOOK_URL } : {}),
        returnUrl,
      }),
    );
  }
  if (config.BTCPAY_URL && config.BTCPAY_API_KEY && config.BTCPAY_STORE_ID) {
    providers.push(
      btcpayProvider({
        url: config.BTCPAY_URL,
        apiKey: config.BTCPAY_API_KEY,
        storeId: config.BTCPAY_STORE_ID,
        ...(config.BTCPAY_WEBHOOK_SECRET ? { webhookSecret: config.BTCPAY_WEBHOOK_SECRET } : {}),
        returnUrl,
      }),
    );
  }
  return providers;
}
