// For plugin authors' tests of their admin pages (`bed.admin()`): an admin account of the test
// bed's own, signed in through the panel's real sign-in form, and requests with its session cookie
// and CSRF token, as a browser would send them (through Fastify's inject: no port involved).
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { AdminAccounts } from '../admin/accounts.js';
import type { Platform } from '../main.js';

export interface AdminResponse {
  status: number;
  /** The response's headers, names in lower case (e.g. a download's content-disposition). */
  headers: Record<string, string | string[] | undefined>;
  /** The response body as text (a page's HTML, a route's JSON). */
  body: string;
  /** The body's bytes, for a file a route answers with (call.download). */
  bytes: Buffer;
  json<T = unknown>(): T;
}

export interface AdminClient {
  /** The admin's name, as the audit log records it. */
  readonly username: string;
  get(path: string): Promise<AdminResponse>;
  /** A state-changing request with a JSON body and the session's CSRF token. */
  send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<AdminResponse>;
}

const USERNAME = 'plugin-tester';

/**
 * Signs in through the panel's login form as a browser would: the session cookie, and the CSRF
 * token its pages carry for state-changing requests.
 */
export async function signIn(
  platform: Platform,
  username: string,
  password: string,
): Promise<{ cookie: string; csrf: string }> {
  const form = await platform.app.inject({ url: '/admin/login' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
  const loginCookie = String(form.headers['set-cookie']).split(';')[0] ?? '';
  const signedIn = await platform.app.inject({
    method: 'POST',
    url: '/admin/login',
    headers: { cookie: loginCookie },
    payload: { username, password, _csrf: token, next: '/admin' },
  });
  const cookie = /omnicore_session=[^;]+/.exec(String(signedIn.headers['set-cookie']))?.[0];
  if (!cookie) throw new Error(`could not sign in to the admin panel as ${username} (${signedIn.statusCode})`);
  const home = await platform.app.inject({ url: '/admin', headers: { cookie } });
  return { cookie, csrf: /name="csrf-token" content="([^"]+)"/.exec(home.body)?.[1] ?? '' };
}

export async function signInAdmin(platform: Platform): Promise<AdminClient> {
  const password = randomBytes(18).toString('base64url');
  const accounts = new AdminAccounts(platform.database.db);
  if (await accounts.exists(USERNAME)) await accounts.changePassword(USERNAME, password);
  else await accounts.create(USERNAME, password);
  const { cookie, csrf } = await signIn(platform, USERNAME, password);
  const answer = (response: LightMyRequestResponse): AdminResponse => ({
    status: response.statusCode,
    headers: { ...response.headers } as AdminResponse['headers'],
    body: response.body,
    bytes: response.rawPayload,
    json: <T>() => JSON.parse(response.body) as T,
  });
  return {
    username: USERNAME,
    get: async (path) => answer(await platform.app.inject({ url: path, headers: { cookie } })),
    send: async (method, path, body) =>
      answer(
        await platform.app.inject({
          method,
          url: path,
          headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
          payload: JSON.stringify(body ?? {}),
        }),
      ),
  };
}
