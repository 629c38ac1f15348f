// Stripe events as ledger events: each event type we act on, checked with zod (Stripe signs what it
// sends, but its shape still changes between API versions), turned into the one change it makes.
// Sessions, invoices and subscriptions we did not make (no `user` in their metadata) change nothing.
import { z } from 'zod';
import type { PaymentChange, ProviderEvent } from '../provider.js';
import { parseProviderInput } from './provider-input.js';

export const STRIPE = 'stripe';

/** The event types acted on: what webhooks should send, and what reconciliation lists. */
export const STRIPE_EVENT_TYPES = [
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'invoice.paid',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'charge.refunded',
] as const;

/** The metadata a checkout session (and its payment intent or subscription) carries from us. */
export type OurMetadata = {
  user: string;
  product: string;
  grant_key?: string;
  grant_days?: string;
};

const envelope = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number(),
  data: z.object({ object: z.unknown() }),
});

/** An expandable field: an id, or the object it names. */
const idOf = z
  .union([z.string(), z.object({ id: z.string() })])
  .transform((value) => (typeof value === 'string' ? value : value.id));
const metadata = z.record(z.string(), z.string()).nullish();
const digits = z.string().regex(/^\d+$/).transform(Number);

const ours = z.object({
  user: digits,
  product: z.string().min(1),
  grant_key: z.string().min(1).optional(),
  grant_days: digits.optional(),
});

const session = z.object({
  id: z.string(),
  mode: z.string(),
  payment_status: z.string(),
  amount_total: z.int().nullable(),
  currency: z.string().nullable(),
  payment_intent: idOf.nullish(),
  subscription: idOf.nullish(),
  invoice: idOf.nullish(),
  metadata,
});

const invoice = z.object({
  id: z.string(),
  billing_reason: z.string().nullish(),
  amount_paid: z.int(),
  currency: z.string(),
  // Since API 2025-03-31.basil (the SDK's pinned version is later): the subscription and a snapshot
  // of its metadata are under parent.subscription_details.
  parent: z.object({ subscription_details: z.object({ subscription: idOf, metadata }).nullish() }).nullish(),
  // Before it, accounts on an older default version send them at the top.
  subscription: idOf.nullish(),
  subscription_details: z.object({ metadata }).nullish(),
});

const subscription = z.object({
  id: z.string(),
  status: z.string(),
  cancel_at: z.number().nullish(),
  cancel_at_period_end: z.boolean().nullish(),
  canceled_at: z.number().nullish(),
  ended_at: z.number().nullish(),
  // Since basil the period belongs to each item; before it, to the subscription.
  items: z.object({ data: z.array(z.object({ current_period_end: z.number().nullish() })) }).nullish(),
  current_period_end: z.number().nullish(),
});

const charge = z.object({ id: z.string(), amount_refunded: z.int(), payment_intent: idOf.nullish() });

/** Statuses in which a subscription no longer renews: what it granted ends now. */
const ENDED = new Set(['canceled', 'unpaid', 'incomplete_expired']);

/** A Stripe event (already verified, or listed by the API) as the ledger's event. */
export function stripeEvent(input: unknown): ProviderEvent {
  const event = parse(envelope, input, 'the event');
  const change = changeOf(event.type, event.data.object, event.created * 1000);
  return { provider: STRIPE, eventId: event.id, type: event.type, raw: input, ...(change ? { change } : {}) };
}

function changeOf(type: string, object: unknown, at: number): PaymentChange | undefined {
  switch (type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded':
      return sessionPaid(parse(session, object, type));
    case 'checkout.session.async_payment_failed':
      return { kind: 'failed', providerId: parse(session, object, type).id };
    case 'checkout.session.expired':
      return { kind: 'expired', providerId: parse(session, object, type).id };
    case 'invoice.paid':
      return renewal(parse(invoice, object, type));
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return subscriptionEnd(parse(subscription, object, type), type.endsWith('deleted'), at);
    case 'charge.refunded': {
      const refunded = parse(charge, object, type);
      return {
        kind: 'refunded',
        providerId: refunded.payment_intent ?? refunded.id,
        refundedAmount: refunded.amount_refunded,
      };
    }
    default:
      return undefined;
  }
}

function sessionPaid(paid: z.output<typeof session>): PaymentChange | undefined {
  const from = ours.safeParse(paid.metadata ?? {});
  // 'unpaid': a delayed method (a bank debit); async_payment_succeeded credits it later.
  if (!from.success || paid.payment_status === 'unpaid' || paid.amount_total === null || !paid.currency)
    return undefined;
  // A subscription's first payment is its first invoice: refunds find the charge through it.
  const reference = paid.mode === 'subscription' ? paid.invoice : paid.payment_intent;
  return {
    kind: 'paid',
    providerId: paid.id,
    ...(reference ? { reference } : {}),
    ...buyer(from.data),
    amount: paid.amount_total,
    currency: paid.currency.toUpperCase(),
    ...(paid.subscription ? { subscriptionId: paid.subscription } : {}),
  };
}

/**
 * A subscription's renewal credits once per invoice. Its first invoice (`subscription_create`) was
 * paid through the checkout session, which credited it: that one changes nothing.
 */
function renewal(paid: z.output<typeof invoice>): PaymentChange | undefined {
  const subscriptionId = paid.parent?.subscription_details?.subscription ?? paid.subscription;
  const from = ours.safeParse(paid.parent?.subscription_details?.metadata ?? paid.subscription_details?.metadata ?? {});
  if (paid.billing_reason !== 'subscription_cycle' || !subscriptionId || !from.success) return undefined;
  return {
    kind: 'paid',
    providerId: paid.id,
    reference: paid.id,
    ...buyer(from.data),
    amount: paid.amount_paid,
    currency: paid.currency.toUpperCase(),
    subscriptionId,
  };
}

/** Ended, or set to end (at a date, or when the period paid for is over): its grants end then. */
function subscriptionEnd(
  changed: z.output<typeof subscription>,
  deleted: boolean,
  at: number,
): PaymentChange | undefined {
  const seconds = (value: number | null | undefined) => (value ? value * 1000 : undefined);
  if (deleted || ENDED.has(changed.status)) {
    const endsAt = seconds(changed.ended_at) ?? seconds(changed.canceled_at) ?? at;
    return { kind: 'subscription_ended', subscriptionId: changed.id, endsAt };
  }
  const periodEnd = Math.max(
    0,
    ...(changed.items?.data ?? []).map((item) => item.current_period_end ?? 0),
    changed.current_period_end ?? 0,
  );
  const endsAt = seconds(changed.cancel_at) ?? (changed.cancel_at_period_end ? seconds(periodEnd) : undefined);
  return endsAt === undefined ? undefined : { kind: 'subscription_ended', subscriptionId: changed.id, endsAt };
}

function buyer(from: z.output<typeof ours>) {
  return {
    userId: from.user,
    product: from.product,
    ...(from.grant_key
      ? { grant: { key: from.grant_key, ...(from.grant_days === undefined ? {} : { days: from.grant_days }) } }
      : {}),
  };
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  return parseProviderInput(STRIPE, schema, value, what);
}
