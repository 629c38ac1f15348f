// /api/admin/users/:id/entitlements: what a user holds and has paid, and entitlements granted and
// revoked by hand. Payments.grant and .revoke write the audit entries, with the admin and address.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OmniError } from '../../../errors.js';
import { productKey } from '../../../payments/products.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

/** How many of a user's payments their page lists. */
const USER_PAYMENTS = 20;

const userParams = z.object({ id: z.coerce.number().int().safe() });
const keyParams = userParams.extend({ key: productKey });
const grantBody = z.object({
  key: productKey,
  /** For ever when absent. */
  days: z.int().min(1).max(3660).optional(),
});

/** A user's entitlements in force and their latest payments. */
export async function userEntitlements({ payments }: AdminServices, userId: number) {
  const [entitlements, paid] = await Promise.all([
    payments.entitlements(userId),
    payments.ledger.ofUser(userId, USER_PAYMENTS),
  ]);
  return { entitlements, payments: paid };
}

export async function entitlementsApi(app: FastifyInstance, services: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { users, payments } = services;
  const known = async (id: number) => {
    if (!(await users.get(id))) throw new OmniError('OMNI_NOT_FOUND', `no user ${id}`);
  };
  const actor = (request: { admin?: { account: { username: string } } }) =>
    `admin:${request.admin?.account.username ?? '?'}`;

  api.get('/users/:id/entitlements', { schema: { params: userParams } }, async (request) => {
    await known(request.params.id);
    return userEntitlements(services, request.params.id);
  });

  api.post('/users/:id/entitlements', { schema: { params: userParams, body: grantBody } }, async (request) => {
    const { id } = request.params;
    await known(id);
    await payments.grant(id, request.body.key, { days: request.body.days, actor: actor(request), ip: request.ip });
    return { ok: true, entitlements: await payments.entitlements(id) };
  });

  api.delete('/users/:id/entitlements/:key', { schema: { params: keyParams } }, async (request) => {
    const { id, key } = request.params;
    await known(id);
    const revoked = await payments.revoke(id, key, { actor: actor(request), ip: request.ip });
    return { ok: true, revoked, entitlements: await payments.entitlements(id) };
  });
}
