// /api/admin/users: paging through the bot's Telegram users and one user's record.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OmniError } from '../../../errors.js';
import { parseDuration } from '../../../lib/durations.js';
import type { ZodTypeProvider } from '../../route-schemas.js';
import type { AdminServices } from '../services.js';

export const userListQuery = z.object({
  q: z.string().max(100).default(''),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export const USERS_PAGE_SIZE = 25;
const idParams = z.object({ id: z.coerce.number().int().safe() });
const banBody = z.object({
  duration: z
    .string()
    .trim()
    .refine(
      (text) => text === 'permanent' || parseDuration(text) !== undefined,
      'a duration like 10m, 2h, 7d, or permanent',
    ),
  reason: z.string().trim().max(200).default(''),
});

export async function userApi(app: FastifyInstance, { users }: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/users', { schema: { querystring: userListQuery } }, async (request) =>
    users.search(request.query.q, request.query.page, USERS_PAGE_SIZE),
  );

  api.get('/users/:id', { schema: { params: idParams } }, async (request) => {
    const { id } = request.params;
    const found = await users.get(id);
    if (!found) throw new OmniError('OMNI_NOT_FOUND', `no user ${id}`);
    return found;
  });
}

/** Bans and unbans from the panel; the ban store refuses bot admins (409) and records the events. */
export async function userBanApi(app: FastifyInstance, { security, audit }: AdminServices): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/users/:id/ban', { schema: { params: idParams, body: banBody } }, async (request) => {
    const { id } = request.params;
    const { duration, reason } = request.body;
    const actor = request.admin?.account.username ?? '?';
    const until = duration === 'permanent' ? null : Date.now() + (parseDuration(duration) as number);
    const ban = await security.bans.ban(id, {
      until,
      reason: reason || 'banned from the admin panel',
      by: `admin-panel:${actor}`,
    });
    await audit.record({
      actor,
      action: 'user.ban',
      target: String(id),
      details: { duration, reason },
      ip: request.ip,
    });
    return { ok: true, ban };
  });

  api.post('/users/:id/unban', { schema: { params: idParams } }, async (request) => {
    const { id } = request.params;
    const actor = request.admin?.account.username ?? '?';
    const lifted = await security.bans.unban(id, `admin-panel:${actor}`);
    await audit.record({ actor, action: 'user.unban', target: String(id), details: { lifted }, ip: request.ip });
    return { ok: true, lifted };
  });
}
