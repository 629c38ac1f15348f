// Prometheus exposition of the platform's registry.
import type { FastifyInstance } from 'fastify';
import type { PlatformMetrics } from '../../core/metrics.js';

export async function metricsRoutes(app: FastifyInstance, options: { metrics: PlatformMetrics }): Promise<void> {
  const { registry } = options.metrics;
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
}
