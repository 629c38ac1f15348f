// /api/admin/metrics/instances: each instance's stored raw samples of a few metrics over the last
// minutes, one series per instance, for the dashboard's per-instance charts (the live charts above
// them show only the instance serving the page).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { METRIC_NAMES, type MetricName } from '../../../ops/observer/metric-catalog.js';
import { MINUTE_MS, type Point } from '../../../ops/observer/metric-store.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

/** The dashboard's per-instance charts: the metric each draws, and its title. */
export const INSTANCE_CHARTS = [
  { id: 'updates', metric: 'updates.per_minute', title: 'Updates per minute' },
  { id: 'latency', metric: 'handler.latency_p95_ms', title: 'Handler latency p95 (ms)' },
  { id: 'cpu', metric: 'cpu.percent', title: 'CPU (%)' },
  { id: 'lag', metric: 'eventloop.lag_ms', title: 'Event-loop lag (ms)' },
] as const satisfies readonly { id: string; metric: MetricName; title: string }[];
export const INSTANCE_WINDOW_MINUTES = 30;

const metricName = z.enum(METRIC_NAMES as [MetricName, ...MetricName[]]);
export const instanceMetricsQuery = z.object({
  /** Raw samples are kept `observer.rawRetentionHours` (at most 30 days); a day is the most worth drawing. */
  minutes: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(INSTANCE_WINDOW_MINUTES),
  /** Comma-separated metric names. */
  metrics: z
    .string()
    .max(1000)
    .default(INSTANCE_CHARTS.map((chart) => chart.metric).join(','))
    .transform((list) => [...new Set(list.split(','))])
    .pipe(z.array(metricName)),
});
export type InstanceMetricsQuery = z.infer<typeof instanceMetricsQuery>;

export interface InstanceSeries {
  id: string;
  /** Each asked metric's points, oldest first; empty where the instance stored none. */
  series: Partial<Record<MetricName, Point[]>>;
}

/** The instances that stored a sample of any asked metric in the window, by id. */
export async function instanceMetrics({ observer }: AdminServices, { minutes, metrics }: InstanceMetricsQuery) {
  const to = Date.now();
  const from = to - minutes * MINUTE_MS;
  const read = await Promise.all(
    metrics.map(async (metric) => ({ metric, byInstance: await observer.rawByInstance(metric, from, to) })),
  );
  const ids = [...new Set(read.flatMap(({ byInstance }) => [...byInstance.keys()]))].sort();
  const instances: InstanceSeries[] = ids.map((id) => ({
    id,
    series: Object.fromEntries(read.map(({ metric, byInstance }) => [metric, byInstance.get(id) ?? []])),
  }));
  return { from, to, instances };
}

export async function instanceMetricsApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get('/metrics/instances', { schema: { querystring: instanceMetricsQuery } }, async (request) =>
      instanceMetrics(services, request.query),
    );
}
