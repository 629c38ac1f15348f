// The ledger: every provider event is recorded once (unique per provider and event id) and applied
// in the same transaction, so an event delivered twice, or on two connections at once, credits once.
// A charge is one row, unique per provider and the provider's id: a second report of it changes
// nothing that is already true. Each change is written to the audit log beside it.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { PaymentInfo } from '../core/events.js';
import type { Database, PaymentStatus, PaymentsTable } from '../db/schema.js';
import {
  type EntitlementChange,
  endSubscriptionEntitlements,
  grantEntitlement,
  revokeEntitlements,
} from './entitlements.js';
import type { OpenPayment, PaymentChange, PaymentDetails, ProviderEvent } from './provider.js';

type PaymentRow = Selectable<PaymentsTable>;

/** What applying one event did, for the events announced after it committed. */
export interface Applied {
  /** The event had been recorded before: nothing was done. */
  duplicate: boolean;
  payment?: StoredPayment;
  /** Newly credited by this event. */
  credited?: boolean;
  /** Newly refunded by this event, in minor units. */
  refunded?: number;
  /** Newly recorded as pending, or moved on while unpaid (confirming, underpaid, failed, expired, late). */
  opened?: boolean;
  /** The event was about a payment this platform never opened, though it should have: nothing done. */
  unknown?: boolean;
  entitlements: EntitlementChange[];
}

/** A provider event as the ledger keeps it. */
export interface RecordedEvent {
  id: number;
  eventId: string;
  type: string;
  at: number;
  payload: unknown;
  details?: PaymentDetails;
}

export type StoredPayment = PaymentInfo & { reference: string | null; subscriptionId: string | null };

export function toPaymentInfo(row: PaymentRow): StoredPayment {
  return {
    id: Number(row.id),
    provider: row.provider,
    providerId: row.provider_id,
    reference: row.reference,
    userId: Number(row.user_id),
    product: row.product,
    amount: Number(row.amount),
    currency: row.currency,
    refundedAmount: Number(row.refunded_amount),
    status: row.status,
    subscriptionId: row.subscription_id,
    createdAt: Number(row.created_at),
  };
}

/** A payment as plugins and events see it: without the provider's second id and subscription. */
export function publicPayment(payment: StoredPayment): PaymentInfo {
  const { reference: _reference, subscriptionId: _subscription, ...info } = payment;
  return info;
}

/** Payments whose money was taken (some of it may have been given back since). */
export const SETTLED: readonly PaymentStatus[] = ['paid', 'refunded', 'partially_refunded'];

export class Ledger {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records `event` and applies its change, once; `actor` is who is written to the audit log. */
  async apply(event: ProviderEvent, actor = 'payments', now = Date.now()): Promise<Applied> {
    return this.db.transaction().execute(async (trx) => {
      const recorded = await trx
        .insertInto('payment_events')
        .values({
          provider: event.provider,
          event_id: event.eventId,
          type: event.type,
          payment_id: null,
          payload: JSON.stringify(event.raw ?? null),
          details: event.details ? JSON.stringify(event.details) : null,
          at: now,
        })
        .onConflict((oc) => oc.columns(['provider', 'event_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!recorded) return { duplicate: true, entitlements: [] };
      const applied = event.change
        ? await applyChange(trx, event.provider, event.change, now)
        : { duplicate: false, entitlements: [] };
      if (applied.payment) {
        await trx
          .updateTable('payment_events')
          .set({ payment_id: applied.payment.id })
          .where('id', '=', recorded.id)
          .execute();
      }
      await audit(trx, actor, event, applied, now);
      return applied;
    });
  }

  async find(provider: string, providerId: string): Promise<StoredPayment | undefined> {
    const row = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('provider', '=', provider)
      .where((eb) => eb.or([eb('provider_id', '=', providerId), eb('reference', '=', providerId)]))
      .executeTakeFirst();
    return row && toPaymentInfo(row);
  }

  async get(id: number): Promise<StoredPayment | undefined> {
    const row = await this.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toPaymentInfo(row);
  }

  /** The provider events recorded for a payment, oldest first. */
  async events(paymentId: number): Promise<RecordedEvent[]> {
    const rows = await this.db
      .selectFrom('payment_events')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      eventId: row.event_id,
      type: row.type,
      at: Number(row.at),
      payload: JSON.parse(row.payload) as unknown,
      ...(row.details ? { details: JSON.parse(row.details) as PaymentDetails } : {}),
    }));
  }

  /** A provider's payments still waiting for their money (pending or confirming), made since `since`. */
  async open(provider: string, since: number): Promise<OpenPayment[]> {
    const rows = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('provider', '=', provider)
      .where('status', 'in', ['pending', 'confirming'])
      .where('created_at', '>=', since)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      providerId: row.provider_id,
      userId: Number(row.user_id),
      product: row.product,
      amount: Number(row.amount),
      currency: row.currency,
      status: row.status as OpenPayment['status'],
      createdAt: Number(row.created_at),
    }));
  }

  /** A user's payments, newest first. */
  async ofUser(userId: number, limit = 50): Promise<StoredPayment[]> {
    const rows = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toPaymentInfo);
  }
}

async function applyChange(
  trx: Transaction<Database>,
  provider: string,
  change: PaymentChange,
  now: number,
): Promise<Applied> {
  switch (change.kind) {
    case 'paid':
      return credit(trx, provider, change, now);
    case 'pending':
      return open(trx, provider, change, now);
    case 'refunded':
      return refund(trx, provider, change, now);
    case 'failed':
    case 'expired':
    case 'confirming':
    case 'underpaid':
      return move(trx, provider, change.providerId, change.kind, now);
    case 'subscription_ended':
      return {
        duplicate: false,
        entitlements: await endSubscriptionEntitlements(trx, change.subscriptionId, change.endsAt, now),
      };
  }
}

async function byProviderId(trx: Transaction<Database>, provider: string, providerId: string) {
  return trx
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where((eb) => eb.or([eb('provider_id', '=', providerId), eb('reference', '=', providerId)]))
    .executeTakeFirst();
}

async function credit(
  trx: Transaction<Database>,
  provider: string,
  change: Extract<PaymentChange, { kind: 'paid' }>,
  now: number,
): Promise<Applied> {
  const existing = await byProviderId(trx, provider, change.providerId);
  if (existing && SETTLED.includes(existing.status)) {
    return { duplicate: false, payment: toPaymentInfo(existing), entitlements: [] };
  }
  if (change.expected && !existing) return { duplicate: false, unknown: true, entitlements: [] };
  // Money for an invoice that had expired is recorded, for an admin to grant or give back, not granted.
  if (existing && (existing.status === 'expired' || existing.status === 'late')) {
    return move(trx, provider, change.providerId, 'late', now);
  }
  // A renewal names only its subscription: the user, product and grant are its first payment's.
  const first =
    change.subscriptionId && (change.userId === undefined || change.grant === undefined)
      ? await firstOfSubscription(trx, provider, change.subscriptionId)
      : undefined;
  const userId = change.userId ?? existing?.user_id ?? first?.payment.user_id;
  if (userId === undefined) throw new Error(`a ${provider} payment ${change.providerId} names no user`);
  const product = change.product ?? existing?.product ?? first?.payment.product ?? null;
  const values = {
    user_id: Number(userId),
    product,
    amount: change.amount,
    currency: change.currency,
    status: 'paid' as const,
    reference: change.reference ?? existing?.reference ?? null,
    subscription_id: change.subscriptionId ?? existing?.subscription_id ?? null,
    updated_at: now,
  };
  const row = existing
    ? await trx
        .updateTable('payments')
        .set(values)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow()
    : await trx
        .insertInto('payments')
        .values({ ...values, provider, provider_id: change.providerId, created_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
  const grant = change.grant ?? first?.grant;
  const entitlements = grant
    ? [
        await grantEntitlement(
          trx,
          { userId: Number(userId), key: grant.key, days: grant.days, paymentId: Number(row.id), grantedBy: 'payment' },
          now,
        ),
      ]
    : [];
  return { duplicate: false, payment: toPaymentInfo(row), credited: true, entitlements };
}

/** The subscription's first payment, and what it granted (a renewal grants the same). */
async function firstOfSubscription(trx: Transaction<Database>, provider: string, subscriptionId: string) {
  const payment = await trx
    .selectFrom('payments')
    .selectAll()
    .where('provider', '=', provider)
    .where('subscription_id', '=', subscriptionId)
    .orderBy('id')
    .executeTakeFirst();
  if (!payment) return undefined;
  const granted = await trx
    .selectFrom('entitlements')
    .select(['key', 'starts_at', 'ends_at'])
    .where('payment_id', '=', payment.id)
    .orderBy('id')
    .executeTakeFirst();
  const grant = granted
    ? {
        key: granted.key,
        ...(granted.ends_at === null
          ? {}
          : { days: Math.round((Number(granted.ends_at) - Number(granted.starts_at)) / 86_400_000) }),
      }
    : undefined;
  return { payment, grant };
}

async function open(
  trx: Transaction<Database>,
  provider: string,
  change: Extract<PaymentChange, { kind: 'pending' }>,
  now: number,
): Promise<Applied> {
  const existing = await byProviderId(trx, provider, change.providerId);
  if (existing) return { duplicate: false, payment: toPaymentInfo(existing), entitlements: [] };
  const row = await trx
    .insertInto('payments')
    .values({
      provider,
      provider_id: change.providerId,
      reference: null,
      user_id: change.userId,
      product: change.product,
      amount: change.amount,
      currency: change.currency,
      status: 'pending',
      subscription_id: change.subscriptionId ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { duplicate: false, payment: toPaymentInfo(row), opened: true, entitlements: [] };
}

async function refund(
  trx: Transaction<Database>,
  provider: string,
  change: Extract<PaymentChange, { kind: 'refunded' }>,
  now: number,
): Promise<Applied> {
  const existing = await byProviderId(trx, provider, change.providerId);
  if (!existing || !SETTLED.includes(existing.status)) {
    return { duplicate: false, ...(existing ? { payment: toPaymentInfo(existing) } : {}), entitlements: [] };
  }
  const amount = Number(existing.amount);
  const before = Number(existing.refunded_amount);
  const total = Math.min(amount, Math.max(before, change.refundedAmount));
  if (total === before) return { duplicate: false, payment: toPaymentInfo(existing), entitlements: [] };
  const row = await trx
    .updateTable('payments')
    .set({ refunded_amount: total, status: total >= amount ? 'refunded' : 'partially_refunded', updated_at: now })
    .where('id', '=', existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  // A partial refund keeps what was bought (a goodwill discount); a full one takes it back.
  const entitlements = total >= amount ? await revokeEntitlements(trx, { paymentId: Number(row.id) }, now) : [];
  return { duplicate: false, payment: toPaymentInfo(row), refunded: total - before, entitlements };
}

/** The statuses each status of a payment not yet paid may move to. */
const MOVES: Partial<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending: ['confirming', 'underpaid', 'failed', 'expired'],
  confirming: ['underpaid', 'failed', 'expired'],
  underpaid: ['failed', 'expired'],
  expired: ['late'],
};

/** Moves an unpaid payment along (seen on the chain, short, expired, failed, paid too late). */
async function move(
  trx: Transaction<Database>,
  provider: string,
  providerId: string,
  status: 'failed' | 'expired' | 'confirming' | 'underpaid' | 'late',
  now: number,
): Promise<Applied> {
  const existing = await byProviderId(trx, provider, providerId);
  if (!existing || !MOVES[existing.status]?.includes(status)) {
    return { duplicate: false, ...(existing ? { payment: toPaymentInfo(existing) } : {}), entitlements: [] };
  }
  const row = await trx
    .updateTable('payments')
    .set({ status, updated_at: now })
    .where('id', '=', existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { duplicate: false, payment: toPaymentInfo(row), opened: true, entitlements: [] };
}

async function audit(trx: Transaction<Database>, actor: string, event: ProviderEvent, applied: Applied, now: number) {
  const rows = [];
  if (applied.credited && applied.payment) {
    const note = event.change?.kind === 'paid' && event.change.note ? { note: event.change.note } : {};
    rows.push(paymentAudit('payment.paid', applied.payment, event, note));
  }
  if (applied.refunded && applied.payment) {
    rows.push(paymentAudit('payment.refunded', applied.payment, event, { amount: applied.refunded }));
  }
  if (applied.opened && applied.payment)
    rows.push(paymentAudit(`payment.${applied.payment.status}`, applied.payment, event));
  for (const change of applied.entitlements) {
    rows.push({
      action: change.active ? 'entitlement.granted' : 'entitlement.ended',
      target: `user:${change.userId}`,
      details: { key: change.key, until: change.until, event: event.eventId },
    });
  }
  if (rows.length === 0) return;
  await trx
    .insertInto('audit_log')
    .values(
      rows.map((row) => ({
        at: now,
        actor,
        action: row.action,
        target: row.target,
        details: JSON.stringify(row.details),
        ip: null,
      })),
    )
    .execute();
}

function paymentAudit(action: string, payment: PaymentInfo, event: ProviderEvent, extra: object = {}) {
  return {
    action,
    target: `payment:${payment.id}`,
    details: {
      provider: payment.provider,
      providerId: payment.providerId,
      user: payment.userId,
      product: payment.product,
      amount: payment.amount,
      currency: payment.currency,
      event: event.eventId,
      ...extra,
    },
  };
}
