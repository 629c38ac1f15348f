// /api/admin/users: paging through the bot's Telegram users and one user's record.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { OmniError } from '../../../errors.js';
import type { AdminServices } from '../services.js';

export const userListQuery = z.object({
  q: z.string().max(100).default(''),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});
export const USERS_PAGE_SIZE = 25;
const idParams = z.object({ id: z.coerce.number().int().safe() });

export async function userApi(app: FastifyInstance, { users }: AdminServices): Promise<void> {
  app.get('/users', async (request) => {
    const { q, page } = userListQuery.parse(request.query);
    return users.search(q, page, USERS_PAGE_SIZE);
  });

  app.get('/users/:id', async (request) => {
    const { id } = idParams.parse(request.params);
    const found = await users.get(id);
    if (!found) throw new OmniError('OMNI_NOT_FOUND', `no user ${id}`);
    return found;
  });
}
