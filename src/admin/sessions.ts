// Server-side admin sessions (`admin_sessions`). The browser holds a random token; the table holds
// its SHA-256, the account, a CSRF token, and two expiries: idle (slides with use) and absolute.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** Sliding the idle expiry on every request would write on every request; once a minute is enough. */
const TOUCH_AFTER_MS = 60_000;

export interface AdminSession {
  userId: number;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(
    userId: number,
    client: { ip: string; userAgent: string | undefined },
    now = Date.now(),
  ): Promise<{ token: string; session: AdminSession }> {
    const token = randomToken();
    const session = { userId, csrfToken: randomToken(), createdAt: now, expiresAt: now + SESSION_IDLE_MS };
    await this.db
      .insertInto('admin_sessions')
      .values({
        token_hash: digest(token),
        user_id: userId,
        csrf_token: session.csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: session.expiresAt,
        ip: client.ip,
        user_agent: client.userAgent?.slice(0, 256) ?? null,
      })
      .execute();
    return { token, session };
  }

  /** The live session behind a cookie token, its idle expiry moved forward; undefined when gone. */
  async find(token: string, now = Date.now()): Promise<AdminSession | undefined> {
    const row = await this.db
      .selectFrom('admin_sessions')
      .selectAll()
      .where('token_hash', '=', digest(token))
      .executeTakeFirst();
    if (!row) return undefined;
    const createdAt = Number(row.created_at);
    if (Number(row.expires_at) <= now || createdAt + SESSION_MAX_MS <= now) {
      await this.destroy(token);
      return undefined;
    }
    let expiresAt = Number(row.expires_at);
    if (now - Number(row.last_seen_at) >= TOUCH_AFTER_MS) {
      expiresAt = Math.min(now + SESSION_IDLE_MS, createdAt + SESSION_MAX_MS);
      await this.db
        .updateTable('admin_sessions')
        .set({ last_seen_at: now, expires_at: expiresAt })
        .where('token_hash', '=', row.token_hash)
        .execute();
    }
    return { userId: Number(row.user_id), csrfToken: row.csrf_token, createdAt, expiresAt };
  }

  async destroy(token: string): Promise<void> {
    await this.db.deleteFrom('admin_sessions').where('token_hash', '=', digest(token)).execute();
  }

  async purgeExpired(now = Date.now()): Promise<void> {
    await this.db.deleteFrom('admin_sessions').where('expires_at', '<=', now).execute();
  }
}
