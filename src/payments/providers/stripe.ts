// The Stripe provider: hosted Checkout pages for one-off payments and subscriptions, webhooks
// verified on their raw body by the SDK, refunds, and the recent events reconciliation replays.
// The SDK is loaded on first use, so that a server without Stripe never loads it.
import type Stripe from 'stripe';
import { OmniError } from '../../errors.js';
import { VERSION } from '../../version.js';
import type { CheckoutRequest, PaymentProvider, ProviderEvent } from '../provider.js';
import { type OurMetadata, STRIPE, STRIPE_EVENT_TYPES, stripeEvent } from './stripe-events.js';

export interface StripeOptions {
  secretKey: string;
  /** Without it the provider takes no webhooks (reconciliation still finds every payment). */
  webhookSecret?: string;
  /** STRIPE_API_ROOT: another server speaking Stripe's API (tests). */
  apiRoot?: string;
  /** Where Checkout sends the customer back, when known (the bot's chat). */
  returnUrl: () => string | undefined;
  /** Per request; the SDK retries once after it. */
  timeoutMs?: number;
}

/** Twice this (a request and its retry) stays below the 15 s Payments gives a provider. */
const TIMEOUT_MS = 6000;
/** Reconciliation reads at most this many events per run, the newest. */
const MAX_EVENTS = 10_000;

export function stripeProvider(options: StripeOptions): PaymentProvider {
  let loaded: Promise<Stripe> | undefined;
  const sdk = (): Promise<Stripe> => {
    loaded ??= connect(options);
    return loaded;
  };
  const { webhookSecret } = options;
  return {
    id: STRIPE,
    partialRefunds: true,
    async checkout(request) {
      const session = await call('checkout.sessions.create', async () =>
        (await sdk()).checkout.sessions.create(sessionParams(request, options.returnUrl())),
      );
      if (!session.url) throw new OmniError('PAYMENT_PROVIDER_FAILED', `checkout session ${session.id} has no url`);
      return { url: session.url, providerId: session.id };
    },
    async refund(payment, amount) {
      const reference = payment.reference;
      if (!reference) throw new OmniError('PAYMENT_NOT_REFUNDABLE', `payment ${payment.id} names no Stripe charge`);
      await call('refunds.create', async () => {
        const client = await sdk();
        // Telegram invoices paid through Stripe's provider token know Stripe's charge id.
        const target =
          payment.provider === 'telegram'
            ? { charge: reference }
            : { payment_intent: reference.startsWith('in_') ? await invoiceIntent(client, reference) : reference };
        // The same refund asked again (after a timeout) is the same refund to Stripe, not a second one.
        const idempotencyKey = `omnicore-refund-${payment.provider}-${payment.id}-${payment.refundedAmount + amount}`;
        await client.refunds.create({ ...target, amount }, { idempotencyKey });
      });
    },
    async recent(since) {
      return call('events.list', async () => {
        const events: ProviderEvent[] = [];
        const listed = (await sdk()).events.list({
          created: { gte: Math.floor(since / 1000) },
          types: [...STRIPE_EVENT_TYPES],
          limit: 100,
        });
        for await (const event of listed) {
          events.push(stripeEvent(event));
          if (events.length >= MAX_EVENTS) break;
        }
        return events.reverse();
      });
    },
    ...(webhookSecret
      ? {
          async webhook(body, headers) {
            const client = await sdk();
            const signature = headers['stripe-signature'];
            let event: unknown;
            try {
              // The SDK's default tolerance: a delivery signed over 5 minutes ago is a replay.
              event = client.webhooks.constructEvent(
                body,
                typeof signature === 'string' ? signature : '',
                webhookSecret,
              );
            } catch (error) {
              if (error instanceof SyntaxError)
                throw new OmniError('PAYMENT_EVENT_INVALID', 'stripe: the body is not JSON');
              const reason =
                error instanceof client.errors.StripeSignatureVerificationError ? error.message : 'malformed';
              throw new OmniError('PAYMENT_WEBHOOK_SIGNATURE', `stripe: ${reason.split('\n')[0]}`);
            }
            return [stripeEvent(event)];
          },
        }
      : {}),
  };
}

async function connect(options: StripeOptions): Promise<Stripe> {
  const { default: StripeSdk } = await import('stripe');
  const root = options.apiRoot ? new URL(options.apiRoot) : undefined;
  return new StripeSdk(options.secretKey, {
    // Over fetch: its timeout covers the whole request, and a response the SDK discards before a retry
    // is closed (Node's client leaves that connection open, holding a CLI run until the server drops it).
    httpClient: StripeSdk.createFetchHttpClient(),
    maxNetworkRetries: 1,
    timeout: options.timeoutMs ?? TIMEOUT_MS,
    appInfo: { name: 'OMNICore', version: VERSION },
    ...(root
      ? {
          host: root.hostname,
          protocol: root.protocol === 'http:' ? 'http' : 'https',
          port: root.port || (root.protocol === 'http:' ? 80 : 443),
        }
      : {}),
  });
}

/**
 * A subscription's charge is its invoice's payment. An interval of days (not months) makes each
 * period exactly as long as the entitlement a renewal grants.
 */
function sessionParams(request: CheckoutRequest, returnUrl: string | undefined): Stripe.Checkout.SessionCreateParams {
  const metadata: OurMetadata = {
    user: String(request.userId),
    product: request.product,
    ...(request.grant ? { grant_key: request.grant.key } : {}),
    ...(request.grant?.days === undefined ? {} : { grant_days: String(request.grant.days) }),
  };
  const every = request.renewEveryDays;
  return {
    mode: every ? 'subscription' : 'payment',
    client_reference_id: String(request.userId),
    line_items: [
      {
        quantity: 1,
        price_data: {
          currency: request.currency.toLowerCase(),
          unit_amount: request.amount,
          product_data: { name: request.title, description: request.description },
          ...(every ? { recurring: { interval: 'day', interval_count: every } } : {}),
        },
      },
    ],
    // On the session and on what it makes, so that every later event about it carries them.
    metadata,
    ...(every ? { subscription_data: { metadata } } : { payment_intent_data: { metadata } }),
    ...(returnUrl ? { success_url: returnUrl, cancel_url: returnUrl } : {}),
  };
}

/** The payment intent that paid an invoice (a subscription's payment). */
async function invoiceIntent(client: Stripe, invoice: string): Promise<string> {
  const paid = await client.invoicePayments.list({ invoice, status: 'paid', limit: 10 });
  for (const { payment } of paid.data) {
    const intent = payment.payment_intent;
    if (intent) return typeof intent === 'string' ? intent : intent.id;
  }
  throw new OmniError('PAYMENT_NOT_REFUNDABLE', `invoice ${invoice} has no paid payment intent`);
}

/** A Stripe call that fails as PAYMENT_PROVIDER_FAILED with what was asked (Stripe's messages hold no secret). */
async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OmniError) throw error;
    throw new OmniError('PAYMENT_PROVIDER_FAILED', `stripe ${what}: ${(error as Error).message}`);
  }
}
