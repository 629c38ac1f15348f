// /api/admin/audit: the audit log, newest first, paged by id.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

export const auditQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
  action: z
    .string()
    .regex(/^[a-z0-9_.-]{1,100}$/)
    .optional(),
});
export const AUDIT_PAGE_SIZE = 50;
/**
 * An experiment writes one of these per user it reaches: unfiltered, the log would be mostly them,
 * so they are listed only when asked for by name.
 */
export const ASSIGNMENTS = 'experiment.assign';

/** The audit log's page as the panel reads it (the API and the page alike). */
export function auditPage(audit: AdminServices['audit'], query: z.output<typeof auditQuery>) {
  return audit.list({ ...query, limit: AUDIT_PAGE_SIZE, ...(query.action ? {} : { except: ASSIGNMENTS }) });
}

export async function auditApi(app: FastifyInstance, { audit }: AdminServices): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get('/audit', { schema: { querystring: auditQuery } }, async (request) => ({
    entries: await auditPage(audit, request.query),
  }));
}
