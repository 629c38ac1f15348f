// Sign-in throttling: failures are counted per client address and per account name over a
// window, and either count reaching its limit locks further attempts until the window moves on.
// Kept in the database so that every instance behind a load balancer sees the same counts.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface SignInLimits {
  windowMs: number;
  /** Failures for one account name; low, since guessing one password is the attack. */
  perUser: number;
  /** Failures from one address; higher, since an office may share one. */
  perIp: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { windowMs: 15 * 60 * 1000, perUser: 5, perIp: 20 };

export type LockState = { locked: false } | { locked: true; scope: 'ip' | 'user'; retryAfterMs: number };

export class SignInGuard {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
  ) {}

  async state(ip: string, username: string, now = Date.now()): Promise<LockState> {
    for (const [scope, key, limit] of [
      ['user', username.toLowerCase(), this.limits.perUser],
      ['ip', ip, this.limits.perIp],
    ] as const) {
      const failures = await this.db
        .selectFrom('admin_sign_in_failures')
        .select('at')
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('at', '>', now - this.limits.windowMs)
        .orderBy('at', 'desc')
        .limit(limit)
        .execute();
      if (failures.length >= limit) {
        const unlocksAt = Number((failures.at(-1) as { at: number }).at) + this.limits.windowMs;
        return { locked: true, scope, retryAfterMs: unlocksAt - now };
      }
    }
    return { locked: false };
  }

  async recordFailure(ip: string, username: string, now = Date.now()): Promise<void> {
    await this.db
      .insertInto('admin_sign_in_failures')
      .values([
        { scope: 'user', key: username.toLowerCase(), at: now },
        { scope: 'ip', key: ip, at: now },
      ])
      .execute();
    await this.db
      .deleteFrom('admin_sign_in_failures')
      .where('at', '<=', now - this.limits.windowMs)
      .execute();
  }

  /** A successful sign-in forgives the account's failures (the address keeps its count). */
  async recordSuccess(username: string): Promise<void> {
    await this.db
      .deleteFrom('admin_sign_in_failures')
      .where('scope', '=', 'user')
      .where('key', '=', username.toLowerCase())
      .execute();
  }
}
