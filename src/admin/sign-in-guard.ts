// Sign-in throttling: attempts are counted per account name and per client address over a fixed
// window, and an attempt over either limit is refused without its password being checked.
// rate-limiter-flexible's login-protection pattern: an attempt is reserved (counted) first, in one
// atomic upsert, and given back on success; counting only after a failed check let a burst of
// parallel attempts all pass the check before any failure was written. The counters live in the
// database so that every instance behind a load balancer shares them.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export interface SignInLimits {
  windowMs: number;
  /** Attempts for one account name; low, since guessing one password is the attack. */
  perUser: number;
  /** Attempts from one address; higher, since an office may share one. */
  perIp: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { windowMs: 15 * 60 * 1000, perUser: 5, perIp: 20 };

export type LockState = { locked: false } | { locked: true; scope: Scope; retryAfterMs: number };

type Scope = 'ip' | 'user';

export class SignInGuard {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  /**
   * Counts one attempt for the name and the address, or says which limit it is over. An attempt
   * refused for its name is not charged to its address, nor the other way round, so that a locked
   * account does not lock out its office and a locked address does not lock out the account.
   */
  async reserve(ip: string, username: string, now = Date.now()): Promise<LockState> {
    const user = await this.take('user', userKey(username), this.limits.perUser, now);
    if (user.locked) return user;
    const address = await this.take('ip', ip, this.limits.perIp, now);
    if (address.locked) await this.giveBack('user', userKey(username));
    await this.db.deleteFrom('admin_sign_in_attempts').where('expires_at', '<=', now).execute();
    return address;
  }

  /** A successful sign-in forgives the account's failures and gives the address its attempt back. */
  async succeeded(ip: string, username: string): Promise<void> {
    await this.db
      .deleteFrom('admin_sign_in_attempts')
      .where('scope', '=', 'user')
      .where('key', '=', userKey(username))
      .execute();
    await this.giveBack('ip', ip);
  }

  /** One upsert, so that concurrent attempts (on any instance) each see a distinct count. */
  private async take(scope: Scope, key: string, limit: number, now: number): Promise<LockState> {
    const expiresAt = now + this.limits.windowMs;
    const expired = sql<boolean>`admin_sign_in_attempts.expires_at <= ${now}`;
    const row = await this.db
      .insertInto('admin_sign_in_attempts')
      .values({ scope, key, points: 1, expires_at: expiresAt })
      .onConflict((oc) =>
        oc.columns(['scope', 'key']).doUpdateSet({
          points: sql`case when ${expired} then 1 else admin_sign_in_attempts.points + 1 end`,
          expires_at: sql`case when ${expired} then ${expiresAt} else admin_sign_in_attempts.expires_at end`,
        }),
      )
      .returning(['points', 'expires_at'])
      .executeTakeFirstOrThrow();
    if (Number(row.points) <= limit) return { locked: false };
    return { locked: true, scope, retryAfterMs: Number(row.expires_at) - now };
  }

  private async giveBack(scope: Scope, key: string): Promise<void> {
    await this.db
      .updateTable('admin_sign_in_attempts')
      .set({ points: sql`points - 1` })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .where('points', '>', 0)
      .execute();
  }
}

function userKey(username: string): string {
  return username.toLowerCase();
}
