// Sign-in and sign-out. The sign-in form is protected against login CSRF by a double-submit token
// (a cookie scoped to /admin/login and the same value in a hidden field); attempts are counted per
// address and per name before the password is checked, and every attempt lands in the audit log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminAccounts } from '../../admin/accounts.js';
import { randomToken, SESSION_MAX_MS, type SessionStore } from '../../admin/sessions.js';
import type { SignInGuard } from '../../admin/sign-in-guard.js';
import type { AuditLog } from '../../db/audit-log.js';
import { requireAdmin, SESSION_COOKIE, sameToken } from './session-auth.js';

const LOGIN_COOKIE = 'omnicore_login';
const LOGIN_PATH = '/admin/login';

const signInBody = z.object({
  username: z.string().max(128).default(''),
  password: z.string().max(1024).default(''),
  _csrf: z.string().max(128).default(''),
  next: z.string().max(2048).optional(),
});

export interface SignInFailure {
  ip: string;
  username: string;
  reason: 'wrong_credentials' | 'locked';
}

export interface LoginRouteOptions {
  accounts: AdminAccounts;
  sessions: SessionStore;
  guard: SignInGuard;
  audit: AuditLog;
  /** Told of every failed or refused sign-in (the security layer records it). */
  onFailure?: (failure: SignInFailure) => unknown;
}

/**
 * A path of the panel in plain URL characters (RFC 3986 path and query, no fragment). Anything
 * else could leave the panel (an open redirect), or break the Location header it is sent in: a
 * line break or a character outside Latin-1 made Node refuse the header, a 500 after sign-in.
 */
const PANEL_PATH = /^\/admin(?:\/[\w\-.~!$&'()*+,;=:@%/]*)?(?:\?[\w\-.~!$&'()*+,;=:@%/?]*)?$/;
/** Dot segments (also percent-encoded, as browsers read them) and empty ones climb out of /admin. */
const CLIMBING = /\/(?:\.|%2e){1,2}(?:\/|\?|$)|\/\//i;

/** Where to go after sign-in: `next` when it is a path of the panel, else the dashboard. */
function safeNext(next: string | undefined): string {
  return next && PANEL_PATH.test(next) && !CLIMBING.test(next.split('?')[0] as string) ? next : '/admin';
}

function cookieOptions(request: FastifyRequest, path: string, maxAgeSeconds: number) {
  return {
    path,
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: request.protocol === 'https',
    maxAge: maxAgeSeconds,
  };
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(request, '/', SESSION_MAX_MS / 1000));
}

export async function loginRoutes(app: FastifyInstance, options: LoginRouteOptions): Promise<void> {
  const { accounts, sessions, guard, audit } = options;

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    error?: string,
    username = '',
  ) => {
    const token = randomToken();
    reply.setCookie(LOGIN_COOKIE, token, cookieOptions(request, LOGIN_PATH, 3600));
    const next = (request.query as { next?: string }).next ?? (request.body as { next?: string } | undefined)?.next;
    return reply.code(status).view('login', {
      title: 'Sign in',
      csrf: token,
      error,
      username,
      next: safeNext(next),
      noAdmins: (await accounts.count()) === 0,
    });
  };

  app.get(LOGIN_PATH, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && (await sessions.find(token))) return reply.redirect('/admin');
    return showForm(request, reply, 200);
  });

  app.post(LOGIN_PATH, async (request, reply) => {
    const parsed = signInBody.safeParse(request.body ?? {});
    if (!parsed.success) return showForm(request, reply, 400, 'The form was malformed; try again.');
    const { username, password, _csrf, next } = parsed.data;
    const expected = request.cookies[LOGIN_COOKIE];
    if (!expected || !sameToken(expected, _csrf)) {
      return showForm(request, reply, 403, 'The sign-in form expired; try again.', username);
    }
    const ip = request.ip;
    // Counted before the password is checked, so parallel attempts cannot all slip under the limit.
    const lock = await guard.reserve(ip, username);
    if (lock.locked) {
      await audit.record({ actor: username || '(empty)', action: 'admin.sign_in_locked', ip });
      await options.onFailure?.({ ip, username, reason: 'locked' });
      const minutes = Math.max(1, Math.ceil(lock.retryAfterMs / 60_000));
      reply.header('retry-after', Math.ceil(lock.retryAfterMs / 1000));
      return showForm(
        request,
        reply,
        429,
        `Too many failed sign-ins ${lock.scope === 'ip' ? 'from this address' : 'for this account'}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        username,
      );
    }
    const account = await accounts.verify(username, password);
    if (!account) {
      await audit.record({ actor: username || '(empty)', action: 'admin.sign_in_failed', ip });
      await options.onFailure?.({ ip, username, reason: 'wrong_credentials' });
      return showForm(request, reply, 401, 'Wrong username or password.', username);
    }
    await guard.succeeded(ip, username);
    const { token } = await sessions.create(account.id, { ip, userAgent: request.headers['user-agent'] });
    await audit.record({ actor: account.username, action: 'admin.sign_in', ip });
    reply.clearCookie(LOGIN_COOKIE, { path: LOGIN_PATH });
    setSessionCookie(request, reply, token);
    return reply.redirect(safeNext(next), 303);
  });

  app.post('/admin/logout', requireAdmin(accounts, sessions), async (request, reply) => {
    const admin = request.admin;
    if (admin) {
      await sessions.destroy(admin.token);
      await audit.record({ actor: admin.account.username, action: 'admin.sign_out', ip: request.ip });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect(LOGIN_PATH, 303);
  });
}
