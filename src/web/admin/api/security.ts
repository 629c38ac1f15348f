// /api/admin/security: the security event log with its filters, and the bans in force.
import type { FastifyInstance } from 'fastify';
import { securityEventQuery } from '../../../ops/security/security-events.js';
import type { AdminServices } from '../services.js';

export async function securityApi(app: FastifyInstance, { security }: AdminServices): Promise<void> {
  app.get('/security/events', async (request) => ({
    events: await security.events.list(securityEventQuery.parse(request.query)),
  }));

  app.get('/security/bans', async () => ({ bans: await security.bans.list() }));
}
