// NOWPayments payments as ledger events: the order id that carries our buyer and offer to them and
// back, and each payment status (from an IPN or from the payment list the poller reads) turned into
// the one change it makes. Event ids are `<invoice id>:<our status>`, whichever way a status came.
import { z } from 'zod';
import { decodeOffer, encodeOffer, type Offer } from '../products.js';
import type { CheckoutRequest, PaymentChange, PaymentDetails, ProviderEvent } from '../provider.js';
import { parseProviderInput } from './provider-input.js';

export const NOWPAYMENTS = 'nowpayments';

/** `<user id>|<the offer as a Telegram invoice payload carries it>`: who buys what, at what price, granting what. */
export function orderId(request: CheckoutRequest): string {
  const slash = request.product.indexOf('/');
  const offer: Offer = {
    plugin: request.product.slice(0, slash),
    product: request.product.slice(slash + 1),
    currency: request.currency,
    amount: request.amount,
    ...(request.grant ? { grant: request.grant } : {}),
  };
  return `${request.userId}|${encodeOffer(offer)}`;
}

function orderOf(order: string | null | undefined): Offer | undefined {
  const match = /^\d+\|(.+)$/.exec(order ?? '');
  return match?.[1] === undefined ? undefined : decodeOffer(match[1]);
}

const id = z.union([z.string().regex(/^\d+$/), z.int().nonnegative()]).transform(String);
/** Amounts come as JSON numbers (sometimes as strings); they are only shown, never computed with. */
const shown = z.union([z.number(), z.string()]).nullish();

/** A payment as the IPN and the payment list carry it: what we read of it; `raw` keeps the rest. */
export const nowPayment = z.object({
  payment_id: id,
  invoice_id: id.nullish(),
  payment_status: z.string().min(1),
  order_id: z.string().nullish(),
  pay_amount: shown,
  actually_paid: shown,
  pay_currency: z.string().nullish(),
  network: z.string().nullish(),
  payin_hash: z.string().nullish(),
  created_at: z.string().nullish(),
});
export type NowPayment = z.output<typeof nowPayment>;

export const readPayment = (value: unknown, what: string): NowPayment =>
  parseProviderInput(NOWPAYMENTS, nowPayment, value, what);

/**
 * The event a payment's status makes; none while it waits for money (`waiting`), nor for a payment
 * made outside an invoice (not one of ours).
 */
export function nowPaymentEvent(payment: NowPayment, raw: unknown): ProviderEvent | undefined {
  const invoice = payment.invoice_id;
  if (!invoice || payment.payment_status === 'waiting') return undefined;
  const change = changeOf(invoice, payment);
  const status = change?.kind ?? payment.payment_status;
  return {
    provider: NOWPAYMENTS,
    eventId: `${invoice}:${status}`,
    type: `payment.${payment.payment_status}`,
    raw,
    ...(change ? { change } : {}),
    ...(payment.pay_currency ? { details: detailsOf(payment) } : {}),
  };
}

function changeOf(providerId: string, payment: NowPayment): PaymentChange | undefined {
  const order = orderOf(payment.order_id);
  switch (payment.payment_status) {
    case 'confirming':
    case 'confirmed':
    case 'sending':
      return { kind: 'confirming', providerId };
    case 'partially_paid':
      return { kind: 'underpaid', providerId, note: `${paidOf(payment)} came of ${askedOf(payment)} asked` };
    case 'failed':
      return { kind: 'failed', providerId };
    case 'expired':
      return { kind: 'expired', providerId };
    case 'finished': {
      if (!order) return undefined;
      // A comparison for the note only: what is credited is the fiat price the invoice asked.
      const over = Number(payment.actually_paid) > Number(payment.pay_amount);
      return {
        kind: 'paid',
        providerId,
        amount: order.amount,
        currency: order.currency,
        ...(order.grant ? { grant: order.grant } : {}),
        ...(over ? { note: `overpaid: ${paidOf(payment)} came against ${askedOf(payment)} asked` } : {}),
        expected: true,
      };
    }
    case 'refunded':
      // The ledger gives back only what it has as paid: for anything else this changes nothing.
      return order ? { kind: 'refunded', providerId, refundedAmount: order.amount } : undefined;
    default:
      return undefined;
  }
}

/** The coin, its network, what came of it and the transaction, as NOWPayments reports them. */
function detailsOf(payment: NowPayment): PaymentDetails {
  return {
    asset: payment.pay_currency as string,
    ...(payment.network ? { network: payment.network } : {}),
    ...(payment.actually_paid ? { paid: String(payment.actually_paid) } : {}),
    ...(payment.payin_hash ? { transactions: [payment.payin_hash] } : {}),
  };
}

const paidOf = (payment: NowPayment) => `${payment.actually_paid ?? 0} ${payment.pay_currency ?? ''}`.trim();
const askedOf = (payment: NowPayment) => `${payment.pay_amount ?? '?'} ${payment.pay_currency ?? ''}`.trim();
