// BTCPay Server invoices as ledger events: the webhook deliveries and the invoices the poller reads,
// checked with zod, turned into one status of ours, and that status into events whose ids
// (`<invoice id>:<status>`) are the same both ways, so that a status seen twice counts once.
import { z } from 'zod';
import type { PaymentChange, PaymentDetails, ProviderEvent } from '../provider.js';
import { parseProviderInput } from './provider-input.js';

export const BTCPAY = 'btcpay';

/** What a checkout puts under `omnicore` in the invoice's metadata; BTCPay sends it back with every event. */
export const ourMetadata = z.object({
  user: z.int().positive(),
  product: z.string().min(1),
  amount: z.int().nonnegative(),
  currency: z.string().min(3),
  grant: z.object({ key: z.string().min(1), days: z.int().positive().optional() }).optional(),
});
export type OurMetadata = z.output<typeof ourMetadata>;
/** Who bought what, for how much: from the metadata, or from the ledger's row for an invoice without it. */
export type Money = Omit<OurMetadata, 'product'> & { product: string | null };

const STATUSES = ['New', 'Processing', 'Expired', 'Invalid', 'Settled'] as const;
const ADDITIONAL = ['None', 'PaidLate', 'PaidPartial', 'Marked', 'Invalid', 'PaidOver'] as const;

/** The Greenfield InvoiceData fields read; the rest stays in `raw`. */
export const invoiceData = z.object({
  id: z.string().min(1),
  status: z.enum(STATUSES),
  additionalStatus: z.enum(ADDITIONAL).catch('None'),
  checkoutLink: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type InvoiceData = z.output<typeof invoiceData>;

/** One payment method of an invoice (`…/payment-methods`): 1.x names it `paymentMethod`, 2.x `paymentMethodId`. */
export const paymentMethods = z.array(
  z.object({
    paymentMethod: z.string().nullish(),
    paymentMethodId: z.string().nullish(),
    amount: z.string().nullish(),
    paymentMethodPaid: z.string().nullish(),
    rate: z.string().nullish(),
    payments: z.array(z.object({ id: z.string().nullish() })).nullish(),
  }),
);

/** A webhook delivery: the fields every invoice event has, and the flags some add. */
const delivery = z.object({
  deliveryId: z.string().min(1),
  type: z.string().min(1),
  storeId: z.string().nullish(),
  invoiceId: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  afterExpiration: z.boolean().nullish(),
  partiallyPaid: z.boolean().nullish(),
  overPaid: z.boolean().nullish(),
  manuallyMarked: z.boolean().nullish(),
  paymentMethod: z.string().nullish(),
  payment: z.object({ id: z.string().nullish(), value: z.string().nullish() }).nullish(),
});

/** An invoice's state in our words. `late` is money after expiry: expired, then paid (the ledger grants nothing). */
type Seen = { status: 'confirming' | 'underpaid' | 'expired' | 'failed' | 'late' } | { status: 'paid'; note?: string };

/** Events of one webhook delivery; a delivery about another store, or about no invoice of ours, makes none. */
export function deliveryEvents(input: unknown, storeId: string): ProviderEvent[] {
  const event = parse(delivery, input, 'the webhook delivery');
  if (!event.invoiceId || event.storeId !== storeId) return [];
  const seen = deliverySeen(event);
  const ours = ourMetadata.safeParse(event.metadata?.omnicore);
  if (!seen || !ours.success) return [];
  const details: PaymentDetails | undefined = event.paymentMethod
    ? {
        asset: event.paymentMethod,
        ...(event.payment?.value ? { paid: event.payment.value } : {}),
        ...(event.payment?.id ? { transactions: [event.payment.id] } : {}),
      }
    : undefined;
  return invoiceEvents(event.invoiceId, seen, ours.data, event.type, input, details);
}

/** What came, by the first payment method that received anything: the coin, amount, rate, transactions. */
export function methodsDetails(methods: z.output<typeof paymentMethods>): PaymentDetails | undefined {
  const used = methods.find((method) => method.paymentMethodPaid && !/^0(\.0*)?$/.test(method.paymentMethodPaid));
  if (!used) return undefined;
  const transactions = (used.payments ?? []).flatMap((payment) => (payment.id ? [payment.id] : []));
  return {
    asset: used.paymentMethodId ?? used.paymentMethod ?? '?',
    paid: used.paymentMethodPaid as string,
    ...(used.rate ? { rate: used.rate } : {}),
    ...(transactions.length > 0 ? { transactions } : {}),
  };
}

function deliverySeen(event: z.output<typeof delivery>): Seen | undefined {
  switch (event.type) {
    case 'InvoiceReceivedPayment':
    case 'InvoicePaymentSettled':
      return { status: event.afterExpiration ? 'late' : 'confirming' };
    case 'InvoiceProcessing':
      return { status: 'confirming' };
    case 'InvoiceSettled':
      return { status: 'paid', ...settledNote(event.overPaid ? 'PaidOver' : event.manuallyMarked ? 'Marked' : 'None') };
    case 'InvoiceExpired':
      return { status: event.partiallyPaid ? 'underpaid' : 'expired' };
    case 'InvoiceInvalid':
      return { status: 'failed' };
    default:
      // InvoiceCreated, and the payout and payment request events a store webhook may also send.
      return undefined;
  }
}

/** The state of an invoice as the API reports it; `methods` tells how much came when it was overpaid. */
export function invoiceSeen(invoice: InvoiceData, methods?: z.output<typeof paymentMethods>): Seen | undefined {
  const additional = invoice.additionalStatus;
  switch (invoice.status) {
    case 'New':
      return additional === 'PaidPartial' ? { status: 'confirming' } : undefined;
    case 'Processing':
      return { status: 'confirming' };
    case 'Settled':
      return { status: 'paid', ...settledNote(additional, methods) };
    case 'Expired':
      if (additional === 'PaidLate' || additional === 'PaidOver') return { status: 'late' };
      return { status: additional === 'PaidPartial' ? 'underpaid' : 'expired' };
    case 'Invalid':
      return { status: 'failed' };
  }
}

/** Whether the status is one whose payment details (`…/payment-methods`) belong in the event. */
export const needsPayments = (seen: Seen | undefined): boolean =>
  seen !== undefined && (seen.status === 'paid' || seen.status === 'underpaid' || seen.status === 'late');

function settledNote(
  additional: InvoiceData['additionalStatus'],
  methods?: z.output<typeof paymentMethods>,
): { note?: string } {
  if (additional === 'Marked') return { note: 'marked settled by hand in BTCPay Server' };
  if (additional !== 'PaidOver') return {};
  const came = (methods ?? [])
    .filter((method) => method.paymentMethodPaid && !/^0(\.0*)?$/.test(method.paymentMethodPaid))
    .map((method) => {
      const id = method.paymentMethodId ?? method.paymentMethod ?? '?';
      return `${method.paymentMethodPaid} by ${id} against ${method.amount ?? '?'} asked`;
    });
  return { note: `overpaid${came.length > 0 ? `: ${came.join('; ')}` : ''}` };
}

/** The events of one status: `late` is an expiry then a payment, so that the ledger records it late. */
export function invoiceEvents(
  invoiceId: string,
  seen: Seen,
  money: Money,
  type: string,
  raw: unknown,
  details?: PaymentDetails,
): ProviderEvent[] {
  const event = (status: string, change: PaymentChange): ProviderEvent => ({
    provider: BTCPAY,
    eventId: `${invoiceId}:${status}`,
    type,
    raw,
    change,
    ...(details ? { details } : {}),
  });
  const paid = (note?: string): ProviderEvent =>
    event('paid', {
      kind: 'paid',
      providerId: invoiceId,
      userId: money.user,
      product: money.product,
      amount: money.amount,
      currency: money.currency,
      ...(money.grant ? { grant: money.grant } : {}),
      ...(note ? { note } : {}),
      expected: true,
    });
  switch (seen.status) {
    case 'paid':
      return [paid(seen.note)];
    case 'late':
      return [event('expired', { kind: 'expired', providerId: invoiceId }), paid()];
    case 'underpaid':
      return [event('underpaid', { kind: 'underpaid', providerId: invoiceId, note: 'expired partly paid' })];
    default:
      return [event(seen.status, { kind: seen.status, providerId: invoiceId })];
  }
}

/** A BTCPay payload checked against the shape we read (PAYMENT_EVENT_INVALID otherwise). */
export const parse = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> =>
  parseProviderInput(BTCPAY, schema, value, what);
