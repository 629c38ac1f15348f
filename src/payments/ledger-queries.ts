// The ledger as the admin panel reads it: payments filtered and paged newest first, with their count
// and sums per currency; revenue per UTC day by provider and currency; the entitlements a payment
// granted; and the filtered ledger as CSV. Amounts stay integers in minor units throughout.
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Database, PaymentStatus } from '../db/schema.js';
import { decimalAmount } from './currency.js';
import { DAY_MS } from './entitlements.js';
import { SETTLED, type StoredPayment, toPaymentInfo } from './ledger.js';

/** Every status, in the order a payment passes through them. */
export const PAYMENT_STATUSES = Object.keys({
  pending: 0,
  confirming: 0,
  paid: 0,
  partially_refunded: 0,
  refunded: 0,
  underpaid: 0,
  failed: 0,
  expired: 0,
  late: 0,
} satisfies Record<PaymentStatus, 0>) as PaymentStatus[];

export interface LedgerFilter {
  provider?: string;
  status?: PaymentStatus;
  userId?: number;
  /** `<plugin>/<product>`. */
  product?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
}

/** Per currency, over every payment the filter matches. */
export interface CurrencyTotal {
  currency: string;
  /** Payments of any status. */
  count: number;
  /** What settled payments took (paid, partially or fully refunded since). */
  gross: number;
  refunded: number;
  /** gross − refunded. */
  net: number;
}

export interface LedgerPage {
  payments: StoredPayment[];
  /** How many payments the filter matches, on every page. */
  total: number;
  totals: CurrencyTotal[];
  /** The `before` of the next (older) page; null on the last. */
  nextBefore: number | null;
}

export interface RevenueSeries {
  provider: string;
  currency: string;
  /** Net of refunds, in minor units, one per day of `days`. */
  amounts: number[];
}

export interface Revenue {
  /** "2026-12-01", … every UTC day of the range. */
  days: string[];
  series: RevenueSeries[];
}

export interface PaymentEntitlement {
  id: number;
  userId: number;
  key: string;
  startsAt: number;
  endsAt: number | null;
  revokedAt: number | null;
  grantedBy: string;
}

/** The day number of `created_at`, the same expression in SELECT and GROUP BY (PostgreSQL needs that). */
const createdDay = sql<number>`(created_at / ${sql.lit(DAY_MS)})`;
const CSV_BATCH = 500;

export const CSV_COLUMNS = [
  'id',
  'created_at',
  'provider',
  'provider_id',
  'reference',
  'user_id',
  'product',
  'status',
  'currency',
  'amount_minor',
  'refunded_minor',
  'amount',
  'refunded',
] as const;

export class LedgerQueries {
  constructor(private readonly db: Kysely<Database>) {}

  /** One page, newest first: `limit` payments created before payment `before` (the newest when absent). */
  async list(filter: LedgerFilter, page: { limit: number; before?: number }): Promise<LedgerPage> {
    const [payments, counted, totals] = await Promise.all([
      this.page(filter, page.limit + 1, page.before),
      filtered(this.db.selectFrom('payments'), filter)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
      this.totals(filter),
    ]);
    const more = payments.length > page.limit;
    const shown = more ? payments.slice(0, page.limit) : payments;
    return {
      payments: shown,
      total: Number(counted?.n ?? 0),
      totals,
      nextBefore: more ? (shown.at(-1)?.id ?? null) : null,
    };
  }

  private async totals(filter: LedgerFilter): Promise<CurrencyTotal[]> {
    const rows = await filtered(this.db.selectFrom('payments'), filter)
      .select((eb) => [
        'currency',
        eb.fn.countAll().as('count'),
        eb.fn.sum(eb.case().when('status', 'in', SETTLED).then(eb.ref('amount')).else(sql.lit(0)).end()).as('gross'),
        eb.fn.sum('refunded_amount').as('refunded'),
      ])
      .groupBy('currency')
      .orderBy('currency')
      .execute();
    return rows.map((row) => {
      const gross = Number(row.gross ?? 0);
      const refunded = Number(row.refunded ?? 0);
      return { currency: row.currency, count: Number(row.count), gross, refunded, net: gross - refunded };
    });
  }

  /**
   * Keyset paging on (created_at, id), both descending: `before` names the last payment already
   * shown, so a payment recorded meanwhile never shifts a page.
   */
  private async page(filter: LedgerFilter, limit: number, before?: number): Promise<StoredPayment[]> {
    let query = filtered(this.db.selectFrom('payments').selectAll(), filter);
    if (before !== undefined) {
      const cursor = (column: 'created_at') => this.db.selectFrom('payments').select(column).where('id', '=', before);
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', cursor('created_at')),
          eb.and([eb('created_at', '=', cursor('created_at')), eb('id', '<', before)]),
        ]),
      );
    }
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toPaymentInfo);
  }

  /**
   * What settled payments brought in per UTC day of [from, to), by provider and currency, net of
   * what was refunded since: a refund lowers the day of the payment it gives back, not the day it
   * was made.
   */
  async revenue(filter: Omit<LedgerFilter, 'status'> & { from: number; to: number }): Promise<Revenue> {
    const firstDay = Math.floor(filter.from / DAY_MS);
    const endDay = Math.ceil(filter.to / DAY_MS);
    const rows = await filtered(this.db.selectFrom('payments'), {
      ...filter,
      from: firstDay * DAY_MS,
      to: endDay * DAY_MS,
    })
      .where('status', 'in', SETTLED)
      .select((eb) => [
        createdDay.as('day'),
        'provider',
        'currency',
        eb.fn.sum(eb('amount', '-', eb.ref('refunded_amount'))).as('net'),
      ])
      .groupBy([createdDay, 'provider', 'currency'])
      .execute();
    const days = Array.from({ length: Math.max(0, endDay - firstDay) }, (_, i) =>
      new Date((firstDay + i) * DAY_MS).toISOString().slice(0, 10),
    );
    const series = new Map<string, RevenueSeries>();
    for (const row of rows) {
      const key = `${row.provider}\u0000${row.currency}`;
      let entry = series.get(key);
      if (!entry) {
        entry = { provider: row.provider, currency: row.currency, amounts: days.map(() => 0) };
        series.set(key, entry);
      }
      entry.amounts[Number(row.day) - firstDay] = Number(row.net ?? 0);
    }
    return {
      days,
      series: [...series.values()].sort(
        (a, b) => a.currency.localeCompare(b.currency) || a.provider.localeCompare(b.provider),
      ),
    };
  }

  /** What a payment granted, revoked or not, oldest first. */
  async entitlementsOf(paymentId: number): Promise<PaymentEntitlement[]> {
    const rows = await this.db
      .selectFrom('entitlements')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: Number(row.id),
      userId: Number(row.user_id),
      key: row.key,
      startsAt: Number(row.starts_at),
      endsAt: row.ends_at === null ? null : Number(row.ends_at),
      revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
      grantedBy: row.granted_by,
    }));
  }

  /** The providers the ledger holds payments of (a provider since unconfigured included). */
  async providers(): Promise<string[]> {
    const rows = await this.db.selectFrom('payments').select('provider').distinct().orderBy('provider').execute();
    return rows.map((row) => row.provider);
  }

  /**
   * Every payment the filter matches as RFC 4180 CSV, newest first, one line (CRLF-ended) at a time
   * and read in batches, so that a large ledger is never held in memory.
   */
  async *csv(filter: LedgerFilter, batchSize = CSV_BATCH): AsyncGenerator<string> {
    yield csvLine(CSV_COLUMNS);
    let before: number | undefined;
    for (;;) {
      const batch = await this.page(filter, batchSize, before);
      for (const payment of batch) yield csvLine(csvValues(payment));
      if (batch.length < batchSize) return;
      before = batch.at(-1)?.id;
    }
  }
}

function filtered<O>(
  query: SelectQueryBuilder<Database, 'payments', O>,
  filter: LedgerFilter,
): SelectQueryBuilder<Database, 'payments', O> {
  let result = query;
  if (filter.provider !== undefined) result = result.where('provider', '=', filter.provider);
  if (filter.status !== undefined) result = result.where('status', '=', filter.status);
  if (filter.userId !== undefined) result = result.where('user_id', '=', filter.userId);
  if (filter.product !== undefined) result = result.where('product', '=', filter.product);
  if (filter.from !== undefined) result = result.where('created_at', '>=', filter.from);
  if (filter.to !== undefined) result = result.where('created_at', '<', filter.to);
  return result;
}

function csvValues(payment: StoredPayment): (string | number | null)[] {
  return [
    payment.id,
    new Date(payment.createdAt).toISOString(),
    payment.provider,
    payment.providerId,
    payment.reference,
    payment.userId,
    payment.product,
    payment.status,
    payment.currency,
    payment.amount,
    payment.refundedAmount,
    decimalAmount(payment.amount, payment.currency),
    decimalAmount(payment.refundedAmount, payment.currency),
  ];
}

/** Fields a spreadsheet would run as a formula when they open a cell (OWASP's CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One record: numbers as they are; text quoted when it holds a comma, quote or line break (quotes
 * doubled), and text a spreadsheet would take for a formula prefixed with an apostrophe.
 */
export function csvLine(values: readonly (string | number | null)[]): string {
  const fields = values.map((value) => {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    const text = FORMULA_START.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  });
  return `${fields.join(',')}\r\n`;
}
