// The signed-in admin's own account: changing one's password in the panel (`omnicore admin passwd`
// changes any account's). The current password is asked again and its failures count like failed
// sign-ins, so a borrowed session can neither guess it nor lock the owner out; a change ends every
// session of the account but the browser that made it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { passwordSchema } from '../../config/admin-credentials.js';
import { setSessionCookie } from './login-routes.js';
import { pageRenderer } from './render.js';
import type { AdminServices } from './services.js';

const passwordChange = z.object({
  current: z.string().max(1024).default(''),
  password: z.string().max(1024).default(''),
  confirm: z.string().max(1024).default(''),
});

export async function accountRoutes(app: FastifyInstance, services: AdminServices): Promise<void> {
  const { accounts, sessions, guard, audit } = services;
  const render = pageRenderer(services.plugins);

  const page = (request: FastifyRequest, reply: FastifyReply, status: number, message: object) =>
    render(request, reply.code(status), 'account', 'Your account', message);

  app.get('/account', async (request, reply) => {
    const changed = (request.query as { changed?: string }).changed === '1';
    return page(
      request,
      reply,
      200,
      changed ? { notice: 'Password changed. Your other sessions are signed out.' } : {},
    );
  });

  app.post('/account/password', async (request, reply) => {
    const admin = request.admin;
    if (!admin) return reply.callNotFound();
    const { username } = admin.account;
    const { current, password, confirm } = passwordChange.parse(request.body ?? {});
    const lock = await guard.reserve(request.ip, username);
    if (lock.locked) {
      reply.header('retry-after', Math.ceil(lock.retryAfterMs / 1000));
      return page(request, reply, 429, { error: 'Too many wrong passwords; try again later.' });
    }
    if (!(await accounts.passwordMatches(username, current))) {
      await audit.record({ actor: username, action: 'admin.password_change_failed', ip: request.ip });
      return page(request, reply, 400, { error: 'The current password is wrong.' });
    }
    await guard.succeeded(request.ip, username);
    const valid = passwordSchema.safeParse(password);
    if (!valid.success) {
      return page(request, reply, 400, { error: `The new password is too weak: ${valid.error.issues[0]?.message}.` });
    }
    if (password !== confirm) return page(request, reply, 400, { error: 'The two new passwords differ.' });
    await accounts.changePassword(username, password);
    const { token } = await sessions.create(admin.account.id, {
      ip: request.ip,
      userAgent: request.headers['user-agent'],
    });
    setSessionCookie(request, reply, token);
    await audit.record({ actor: username, action: 'admin.password_changed', ip: request.ip });
    return reply.redirect('/admin/account?changed=1', 303);
  });
}
