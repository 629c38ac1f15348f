// /api/admin/analytics: the usage report the Analytics page charts.
import type { FastifyInstance } from 'fastify';
import type { AdminServices } from '../services.js';

export async function analyticsApi(app: FastifyInstance, { analytics }: AdminServices): Promise<void> {
  app.get('/analytics', async () => analytics.report());
}
