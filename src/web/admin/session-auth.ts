// Who is asking: resolves the session cookie for every /admin and /api/admin request as soon as its
// headers arrive (onRequest), so that the signed-out are turned away (pages to /admin/login, the
// API with 401) before any body is read; then, once the body is parsed, rejects a state-changing
// request that does not carry the session's CSRF token (`_csrf` field or `x-csrf-token` header).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAccount, AdminAccounts } from '../../admin/accounts.js';
import type { AdminSession, SessionStore } from '../../admin/sessions.js';
import { OmniError } from '../../errors.js';
import { sameBytes } from '../../lib/same-bytes.js';

export const SESSION_COOKIE = 'omnicore_session';

declare module 'fastify' {
  interface FastifyRequest {
    admin?: { account: AdminAccount; session: AdminSession; token: string };
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  return sameBytes(Buffer.from(expected), Buffer.from(given));
}

export function csrfTokenOf(request: FastifyRequest): unknown {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as Record<string, unknown> | undefined;
  return typeof body === 'object' && body !== null ? body._csrf : undefined;
}

/** The hooks for routes that need a signed-in admin: `onRequest` (session) and `preValidation` (CSRF). */
export function requireAdmin(accounts: AdminAccounts, sessions: SessionStore) {
  return {
    onRequest: async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await sessions.find(token) : undefined;
      const account = session ? await accounts.byId(session.userId) : undefined;
      if (!token || !session || !account) {
        if (request.url.startsWith('/api/')) return reply.code(401).send(new OmniError('OMNI_SIGNED_OUT').toJSON());
        return reply.redirect(`/admin/login?next=${encodeURIComponent(request.url)}`);
      }
      request.admin = { account, session, token };
      return undefined;
    },
    // The form field can only be read once the body is parsed, which onRequest comes before; and a
    // forged request is refused before the route's schema judges its body.
    preValidation: async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const session = request.admin?.session;
      if (!SAFE_METHODS.has(request.method) && !(session && sameToken(session.csrfToken, csrfTokenOf(request)))) {
        return reply.code(403).send(new OmniError('OMNI_CSRF_REJECTED').toJSON());
      }
      return undefined;
    },
  };
}
