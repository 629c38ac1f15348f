// /api/admin/security: the security event log with its filters, and the bans in force, each with
// the Telegram user it concerns (the stores keep only ids; a person reads names).
import type { FastifyInstance } from 'fastify';
import type { NamedUser } from '../../../admin/telegram-users.js';
import { type SecurityEventQuery, securityEventQuery } from '../../../ops/security/security-events.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

/** Adds `user` (null when the bot has never seen that id) to records that carry a user id. */
async function withUsers<T extends { userId: number | null }>(
  users: AdminServices['users'],
  records: T[],
): Promise<(T & { user: NamedUser | null })[]> {
  const known = await users.named(records.flatMap((record) => (record.userId === null ? [] : [record.userId])));
  return records.map((record) => ({ ...record, user: (record.userId !== null && known.get(record.userId)) || null }));
}

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
