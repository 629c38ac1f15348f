// Telegram's own payments: invoices in Stars (currency XTR, no provider token) and in money through
// a provider token (e.g. Stripe's, TELEGRAM_PAYMENT_PROVIDER_TOKEN); the pre-checkout answer; the
// successful_payment and refunded_payment messages turned into ledger events keyed by Telegram's
// charge id; and the Stars provider, which refunds with refundStarPayment and replays recent
// payments from getStarTransactions.
import type { PreCheckoutQuery, RefundedPayment, StarTransaction, SuccessfulPayment, User } from 'grammy/types';
import type { Messages } from '../core/i18n.js';
import { OmniError } from '../errors.js';
import { decodeOffer, type Offer, type Product, STARS } from './products.js';
import type { PaymentProvider, ProviderEvent } from './provider.js';

/** The Bot API methods payments use (grammY's `bot.api` has them all). */
export interface TelegramPaymentsApi {
  sendInvoice(chatId: number, invoice: InvoiceRequest): Promise<unknown>;
  createInvoiceLink(invoice: InvoiceRequest & { subscriptionPeriod?: number }): Promise<string>;
  refundStarPayment(userId: number, chargeId: string): Promise<unknown>;
  getStarTransactions(offset: number, limit: number): Promise<{ transactions: StarTransaction[] }>;
}

export interface InvoiceRequest {
  title: string;
  description: string;
  payload: string;
  /** Empty for Stars. */
  providerToken: string;
  currency: string;
  prices: { label: string; amount: number }[];
}

/** The one subscription period Telegram offers for Stars: 30 days, in seconds. */
export const STARS_SUBSCRIPTION_SECONDS = 2_592_000;
const STARS_SUBSCRIPTION_DAYS = 30;
/** Telegram's limit on an invoice payload. */
const MAX_PAYLOAD_BYTES = 128;

/** The ledger's provider for a Telegram currency: Stars, or money through a provider token. */
export const telegramProvider = (currency: string): 'stars' | 'telegram' => (currency === STARS ? 'stars' : 'telegram');

export function invoiceRequest(
  offer: Offer,
  product: Product,
  payload: string,
  providerToken: string | undefined,
): InvoiceRequest {
  if (offer.currency !== STARS && !providerToken) {
    throw new OmniError(
      'PAYMENT_PROVIDER_UNCONFIGURED',
      `an invoice in ${offer.currency} needs TELEGRAM_PAYMENT_PROVIDER_TOKEN; Stars (XTR) need none`,
    );
  }
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
    throw new OmniError(
      'PAYMENT_PRODUCT_INVALID',
      `${offer.plugin}/${offer.product}: the invoice payload is over 128 bytes`,
    );
  }
  return {
    title: product.title,
    description: product.description,
    payload,
    providerToken: offer.currency === STARS ? '' : (providerToken as string),
    currency: offer.currency,
    prices: [{ label: product.title, amount: offer.amount }],
  };
}

/** Whether a subscription product can be sold as a Telegram (Stars) subscription. */
export function starsSubscription(product: Product, currency: string): boolean {
  return product.kind === 'subscription' && currency === STARS && product.grants?.days === STARS_SUBSCRIPTION_DAYS;
}

export type PreCheckoutAnswer = { ok: true } | { ok: false; reason: string };

/**
 * Whether to take the payment: the invoice is ours, its product still offered at the price it was
 * made with, and the user not banned. `products` is the current catalogue of the offer's plugin.
 */
export function preCheckoutAnswer(
  query: PreCheckoutQuery,
  products: ReadonlyMap<string, Product> | undefined,
  banned: boolean,
  words: Messages['payments'],
): PreCheckoutAnswer {
  if (banned) return { ok: false, reason: words.banned };
  const offer = decodeOffer(query.invoice_payload);
  if (!offer || offer.currency !== query.currency || offer.amount !== query.total_amount) {
    return { ok: false, reason: words.invalid };
  }
  const product = products?.get(offer.product);
  if (!product) return { ok: false, reason: words.productGone };
  if (product.prices[offer.currency] !== offer.amount) return { ok: false, reason: words.priceChanged };
  return { ok: true };
}

/** A successful_payment message as the ledger event that credits it, once per Telegram charge. */
export function paymentEvent(payment: SuccessfulPayment, from: User): ProviderEvent {
  const offer = decodeOffer(payment.invoice_payload);
  const provider = telegramProvider(payment.currency);
  // Telegram's Stars subscriptions renew with a new charge each period; the first charge names none.
  const subscriptionId = payment.subscription_expiration_date ? `${from.id}:${payment.invoice_payload}` : undefined;
  return {
    provider,
    eventId: payment.telegram_payment_charge_id,
    type: 'successful_payment',
    raw: payment,
    change: {
      kind: 'paid',
      providerId: payment.telegram_payment_charge_id,
      ...(payment.provider_payment_charge_id ? { reference: payment.provider_payment_charge_id } : {}),
      userId: from.id,
      product: offer ? `${offer.plugin}/${offer.product}` : null,
      amount: payment.total_amount,
      currency: payment.currency,
      ...(subscriptionId ? { subscriptionId } : {}),
      ...(offer?.grant ? { grant: offer.grant } : {}),
    },
  };
}

/** A refunded_payment message (Telegram refunded Stars, at our request or its own). */
export function refundEvent(refund: RefundedPayment): ProviderEvent {
  return {
    provider: telegramProvider(refund.currency),
    eventId: `refund:${refund.telegram_payment_charge_id}`,
    type: 'refunded_payment',
    raw: refund,
    change: { kind: 'refunded', providerId: refund.telegram_payment_charge_id, refundedAmount: refund.total_amount },
  };
}

/** How many recent Stars transactions reconciliation reads, newest pages last. */
const TRANSACTIONS_PAGE = 100;
const TRANSACTIONS_MAX = 1000;

/** Telegram Stars: refunds in full only; reconciliation from getStarTransactions. */
export function starsProvider(api: TelegramPaymentsApi): PaymentProvider {
  return {
    id: 'stars',
    partialRefunds: false,
    async refund(payment) {
      try {
        await api.refundStarPayment(payment.userId, payment.providerId);
      } catch (error) {
        throw new OmniError('PAYMENT_PROVIDER_FAILED', `refundStarPayment: ${(error as Error).message}`);
      }
    },
    async recent(since) {
      const found: { date: number; refund: boolean; event: ProviderEvent }[] = [];
      for (let offset = 0; offset < TRANSACTIONS_MAX; offset += TRANSACTIONS_PAGE) {
        const { transactions } = await api.getStarTransactions(offset, TRANSACTIONS_PAGE);
        for (const transaction of transactions) {
          if (transaction.date * 1000 < since) continue;
          const event = transactionEvent(transaction);
          if (event) found.push({ date: transaction.date, refund: transaction.receiver !== undefined, event });
        }
        if (transactions.length < TRANSACTIONS_PAGE) break;
      }
      // Oldest first whatever order Telegram lists them in: a refund applied before its payment would
      // find nothing to give back, and its event, recorded, would never be applied again.
      return found.sort((a, b) => a.date - b.date || Number(a.refund) - Number(b.refund)).map(({ event }) => event);
    },
  };
}

/**
 * A user's incoming payment as the event its successful_payment message would have been (the same
 * event id, so that one of the two is a no-op); a refund to a user as a refund event.
 */
function transactionEvent(transaction: StarTransaction): ProviderEvent | undefined {
  const partner = transaction.source ?? transaction.receiver;
  if (partner?.type !== 'user' || partner.transaction_type !== 'invoice_payment') return undefined;
  const payload = partner.invoice_payload ?? '';
  if (transaction.receiver) {
    return refundEvent({
      currency: STARS,
      total_amount: transaction.amount,
      invoice_payload: payload,
      telegram_payment_charge_id: transaction.id,
    });
  }
  return paymentEvent(
    {
      currency: STARS,
      total_amount: transaction.amount,
      invoice_payload: payload,
      telegram_payment_charge_id: transaction.id,
      provider_payment_charge_id: '',
      ...(partner.subscription_period
        ? { subscription_expiration_date: transaction.date + partner.subscription_period }
        : {}),
    },
    partner.user,
  );
}
