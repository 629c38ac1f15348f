// /api/admin/alerts: the most recent alerts (anomalies, forecasts, failing health checks).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

const alertsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export async function alertsApi(app: FastifyInstance, { alerts }: AdminServices): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/alerts', { schema: { querystring: alertsQuery } }, async (request) => ({
    alerts: await alerts.recent(request.query.limit),
  }));
}
