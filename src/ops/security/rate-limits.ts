// Per-user and per-chat rate limits (rate-limiter-flexible): in memory, or in Redis when REDIS_URL
// is set so that every instance draws on the same allowance. If Redis is unreachable, each instance
// falls back to its own in-memory limiter rather than letting everything through or nothing.
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimit {
  points: number;
  seconds: number;
}

export interface RateVerdict {
  allowed: boolean;
  /** True for the first refusal in a window: the moment to record it and tell the user once. */
  firstRefusal: boolean;
  /** How long until the window resets. */
  retryMs: number;
}

export class RateLimits {
  private user: RateLimiterAbstract;
  private chat: RateLimiterAbstract;

  constructor(
    private readonly options: { redis?: Redis; keyPrefix: string },
    limits: { user: RateLimit; chat: RateLimit },
  ) {
    this.user = this.limiter('user', limits.user);
    this.chat = this.limiter('chat', limits.chat);
  }

  /** New limits apply from the next update; counts in the running window start again. */
  reconfigure(limits: { user: RateLimit; chat: RateLimit }): void {
    if (!same(this.user, limits.user)) this.user = this.limiter('user', limits.user);
    if (!same(this.chat, limits.chat)) this.chat = this.limiter('chat', limits.chat);
  }

  consumeUser(userId: number): Promise<RateVerdict> {
    return consume(this.user, userId);
  }

  consumeChat(chatId: number): Promise<RateVerdict> {
    return consume(this.chat, chatId);
  }

  private limiter(scope: string, { points, seconds }: RateLimit): RateLimiterAbstract {
    const keyPrefix = `${this.options.keyPrefix}:${scope}`;
    const memory = new RateLimiterMemory({ keyPrefix, points, duration: seconds });
    if (!this.options.redis) return memory;
    return new RateLimiterRedis({
      storeClient: this.options.redis,
      keyPrefix,
      points,
      duration: seconds,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }
}

function same(limiter: RateLimiterAbstract, { points, seconds }: RateLimit): boolean {
  return limiter.points === points && limiter.duration === seconds;
}

async function consume(limiter: RateLimiterAbstract, key: number): Promise<RateVerdict> {
  try {
    const result = await limiter.consume(key);
    return { allowed: true, firstRefusal: false, retryMs: result.msBeforeNext };
  } catch (rejection) {
    // rate-limiter-flexible rejects with its result when over the limit; anything else is a fault.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return {
      allowed: false,
      firstRefusal: rejection.consumedPoints === limiter.points + 1,
      retryMs: rejection.msBeforeNext,
    };
  }
}
