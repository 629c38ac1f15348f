// The payment providers this installation has configured, from the environment: each provider is a
// small file behind the PaymentProvider interface, listed here. Stars need no configuration and
// are always there (payments.ts).
import type { Config } from '../../config/env.js';
import type { PaymentProvider } from '../provider.js';
import { btcpayProvider } from './btcpay.js';
import { stripeProvider } from './stripe.js';

export interface ProviderContext {
  /** The bot's username once it has reached the Bot API: hosted checkout pages send the buyer back to its chat. */
  botUsername: () => string | undefined;
}

export function paymentProviders(config: Config, context: ProviderContext): PaymentProvider[] {
  const providers: PaymentProvider[] = [];
  if (config.STRIPE_SECRET_KEY) {
    providers.push(
      stripeProvider({
        secretKey: config.STRIPE_SECRET_KEY,
        ...(config.STRIPE_WEBHOOK_SECRET ? { webhookSecret: config.STRIPE_WEBHOOK_SECRET } : {}),
        ...(config.STRIPE_API_ROOT ? { apiRoot: config.STRIPE_API_ROOT } : {}),
        returnUrl: () => botChat(context),
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
        returnUrl: () => botChat(context),
      }),
    );
  }
  return providers;
}

/** Hosted checkout pages send the buyer back to the bot's chat, once its username is known. */
function botChat(context: ProviderContext): string | undefined {
  const username = context.botUsername();
  return username ? `https://t.me/${username}` : undefined;
}
