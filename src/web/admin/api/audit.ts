// /api/admin/audit: the audit log, newest first, paged by id.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

export const auditQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  action: z
    .string()
    .regex(/^[a-z_.]{1,64}$/)
    .optional(),
});
export const AUDIT_PAGE_SIZE = 50;

export async function auditApi(app: FastifyInstance, { audit }: AdminServices): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/audit', { schema: { querystring: auditQuery } }, async (request) => ({
    entries: await audit.list({ ...request.query, limit: AUDIT_PAGE_SIZE }),
  }));
}
