// The Payments pages: the ledger with its filters, totals per currency, revenue chart and CSV export,
// and one payment with its provider events, entitlements and refund form. Their data comes from the
// functions the JSON API serves; the chart is declared in the markup for public/charts.js.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { decimalAmount } from '../../payments/currency.js';
import { PAYMENT_STATUSES, type Revenue } from '../../payments/ledger-queries.js';
import { paymentDetail, paymentList, paymentListQuery, paymentRevenue } from './api/payments.js';
import { pageRenderer } from './render.js';
import type { AdminServices } from './services.js';

const idParams = z.object({ id: z.coerce.number().int().positive().safe() });
const PALETTE = ['#0d6efd', '#20c997', '#fd7e14', '#6f42c1', '#d63384', '#ffc107', '#0dcaf0', '#6c757d'];

/**
 * Revenue as a Chart.js bar chart: one dataset per provider and currency, stacked with the other
 * providers of its currency (sums of different currencies mean nothing), in the currency's decimals.
 */
export function revenueChart(revenue: Revenue) {
  return {
    type: 'bar',
    data: {
      labels: revenue.days.map((day) => day.slice(5)),
      datasets: revenue.series.map((series, index) => ({
        label: `${series.provider} · ${series.currency}`,
        stack: series.currency,
        backgroundColor: PALETTE[index % PALETTE.length],
        data: series.amounts.map((amount) => decimalAmount(amount, series.currency)),
      })),
    },
    options: {
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
      plugins: { legend: { position: 'bottom' } },
    },
  };
}

export async function paymentPageRoutes(app: FastifyInstance, services: AdminServices): Promise<void> {
  const render = pageRenderer(services.plugins);

  app.get('/payments', async (request, reply) => {
    const query = paymentListQuery.parse(request.query);
    const { before: _before, limit: _limit, ...filters } = query;
    const [list, revenue, recorded] = await Promise.all([
      paymentList(services, query),
      paymentRevenue(services, filters),
      services.ledgerQueries.providers(),
    ]);
    const configured = services.payments.listProviders().map((provider) => provider.id);
    return render(request, reply, 'payments', 'Payments', {
      ...list,
      filters,
      // The same filters as a query string: the CSV export and the next page keep them.
      filterQuery: new URLSearchParams(
        Object.entries(filters).flatMap(([key, value]) =>
          value === undefined ? [] : [[key, String(value)] as [string, string]],
        ),
      ).toString(),
      before: query.before,
      providers: [...new Set([...configured, ...recorded])].sort(),
      statuses: PAYMENT_STATUSES,
      revenue,
      chart: revenueChart(revenue),
    });
  });

  app.get('/payments/:id', async (request, reply) => {
    const { id } = idParams.parse(request.params);
    const detail = await paymentDetail(services, id);
    if (!detail) return reply.callNotFound();
    return render(request, reply, 'payment', `Payment ${id}`, detail);
  });
}
