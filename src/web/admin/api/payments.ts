// /api/admin/payments: the ledger with its filters, paged newest first; revenue per UTC day; the
// filtered ledger as a CSV download; one payment with its provider events and entitlements; and
// refunds, given as the signed-in admin and audited with their address.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OmniError } from '../../../errors.js';
import { DAY_MS } from '../../../payments/entitlements.js';
import { type LedgerFilter, PAYMENT_STATUSES } from '../../../payments/ledger-queries.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';
import { withUsers } from './named-users.js';

export const PAYMENTS_PAGE_SIZE = 50;
/** The revenue chart without a chosen range, and its longest. */
const REVENUE_DEFAULT_DAYS = 30;
const REVENUE_MAX_DAYS = 366;

/** An empty form field is no filter. */
const blank = (value: unknown) => (value === '' ? undefined : value);
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
  .refine((day) => dayStart(day)?.toISOString().startsWith(day) === true, 'no such day');
const dayStart = (day: string): Date | undefined => {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

const filterShape = {
  provider: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z0-9_-]{1,32}$/, 'a provider id')
      .optional(),
  ),
  status: z.preprocess(blank, z.enum(PAYMENT_STATUSES).optional()),
  userId: z.preprocess(blank, z.coerce.number().int().safe().optional()),
  product: z.preprocess(blank, z.string().max(100).optional()),
  /** UTC days, both included. */
  from: z.preprocess(blank, isoDay.optional()),
  to: z.preprocess(blank, isoDay.optional()),
};
const ordered = (query: { from?: string | undefined; to?: string | undefined }) =>
  !query.from || !query.to || query.from <= query.to;
const orderMessage = { message: 'the first day is after the last', path: ['to'] };

export const paymentFilterQuery = z.object(filterShape).refine(ordered, orderMessage);
export const paymentListQuery = z
  .object({
    ...filterShape,
    before: z.preprocess(blank, z.coerce.number().int().positive().optional()),
    limit: z.coerce.number().int().min(1).max(200).default(PAYMENTS_PAGE_SIZE),
  })
  .refine(ordered, orderMessage);
export type PaymentFilterQuery = z.output<typeof paymentFilterQuery>;

const idParams = z.object({ id: z.coerce.number().int().positive().safe() });
const refundBody = z.object({
  /** Minor units; all that is left when absent. */
  amount: z.int().positive().optional(),
});

/** The query's days as the ledger's range: the last day is whole, so the range ends the day after. */
export function ledgerFilter(query: PaymentFilterQuery): LedgerFilter {
  return {
    provider: query.provider,
    status: query.status,
    userId: query.userId,
    product: query.product,
    from: query.from === undefined ? undefined : dayStart(query.from)?.getTime(),
    to: query.to === undefined ? undefined : (dayStart(query.to)?.getTime() ?? 0) + DAY_MS,
  };
}

export async function paymentList(
  { ledgerQueries, users }: AdminServices,
  query: PaymentFilterQuery & { before?: number | undefined; limit: number },
) {
  const page = await ledgerQueries.list(ledgerFilter(query), { limit: query.limit, before: query.before });
  return { ...page, payments: await withUsers(users, page.payments) };
}

/**
 * Revenue over the query's days; without them the last 30 days up to today. A longer range keeps
 * its last 366 days, so that a chart never grows without bound.
 */
export async function paymentRevenue({ ledgerQueries }: AdminServices, query: PaymentFilterQuery, now = Date.now()) {
  const filter = ledgerFilter(query);
  const to = filter.to ?? (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  const earliest = to - REVENUE_MAX_DAYS * DAY_MS;
  const from = Math.max(filter.from ?? to - REVENUE_DEFAULT_DAYS * DAY_MS, earliest);
  const { status: _status, ...rest } = filter;
  return ledgerQueries.revenue({ ...rest, from, to });
}

/** A payment with its user, provider events and entitlements, and what a refund of it may be. */
export async function paymentDetail({ payments, ledgerQueries, users }: AdminServices, id: number) {
  const payment = await payments.ledger.get(id);
  if (!payment) return undefined;
  const [[named], events, entitlements] = await Promise.all([
    withUsers(users, [payment]),
    payments.ledger.events(id),
    ledgerQueries.entitlementsOf(id),
  ]);
  const left = payment.amount - payment.refundedAmount;
  const provider = payments.listProviders().find((candidate) => candidate.id === payment.provider);
  return {
    payment: named as NonNullable<typeof named>,
    events,
    entitlements,
    refund: {
      possible: (payment.status === 'paid' || payment.status === 'partially_refunded') && left > 0,
      partial: provider?.partialRefunds ?? false,
      left,
    },
  };
}

export async function paymentsApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { payments, ledgerQueries, audit } = services;

  api.get('/payments', { schema: { querystring: paymentListQuery } }, async (request) =>
    paymentList(services, request.query),
  );

  api.get('/payments/revenue', { schema: { querystring: paymentFilterQuery } }, async (request) =>
    paymentRevenue(services, request.query),
  );

  api.get('/payments.csv', { schema: { querystring: paymentFilterQuery } }, async (request, reply) => {
    const name = `payments-${new Date().toISOString().slice(0, 10)}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Readable.from(ledgerQueries.csv(ledgerFilter(request.query))));
  });

  api.get('/payments/:id', { schema: { params: idParams } }, async (request) => {
    const detail = await paymentDetail(services, request.params.id);
    if (!detail) throw new OmniError('PAYMENT_NOT_FOUND', `no payment ${request.params.id}`);
    return detail;
  });

  api.post('/payments/:id/refund', { schema: { params: idParams, body: refundBody } }, async (request) => {
    const { id } = request.params;
    const before = await payments.ledger.get(id);
    if (!before) throw new OmniError('PAYMENT_NOT_FOUND', `no payment ${id}`);
    const username = request.admin?.account.username ?? '?';
    const after = await payments.refund(id, { amount: request.body.amount, actor: `admin:${username}` });
    await audit.record({
      actor: username,
      action: 'payment.refund',
      target: `payment:${id}`,
      details: {
        amount: after.refundedAmount - before.refundedAmount,
        currency: after.currency,
        provider: after.provider,
        status: after.status,
      },
      ip: request.ip,
    });
    return { ok: true, payment: after };
  });
}
