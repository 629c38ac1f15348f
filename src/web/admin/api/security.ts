// /api/admin/security: the security event log with its filters, and the bans in force, each with
// the Telegram user it concerns.
import type { FastifyInstance } from 'fastify';
import { type SecurityEventQuery, securityEventQuery } from '../../../ops/security/security-events.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';
import { withUsers } from './named-users.js';

export async function securityEvents({ security, users }: AdminServices, query: SecurityEventQuery) {
  return withUsers(users, await security.events.list(query));
}

export async function bansInForce({ security, users }: AdminServices) {
  return withUsers(users, await security.bans.list());
}

export async function securityApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/security/events', { schema: { querystring: securityEventQuery } }, async (request) => ({
    events: await securityEvents(services, request.query),
  }));

  api.get('/security/bans', async () => ({ bans: await bansInForce(services) }));
}
