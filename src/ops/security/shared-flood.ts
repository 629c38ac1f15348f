// Flood detection shared by every instance on one Redis (REDIS_URL): the verdicts of FloodDetector,
// counted per user by one Lua script, so that a flood split between instances by a load balancer
// is met at the same count as on one. While Redis is not ready, or a call fails, the instance
// judges that update in memory on its own, as the rate limits do.
import type { Redis, Result } from 'ioredis';
import type { Logger } from '../../config/logger.js';
import {
  type FloodCounter,
  type FloodDetector,
  type FloodKind,
  type FloodLimits,
  REPEAT_GAP_MS,
} from './flood-detector.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    omnicoreFlood(
      timesKey: string,
      textKey: string,
      ...args: [
        now: number,
        windowMs: number,
        messages: number,
        repeats: number,
        gapMs: number,
        text: string,
        hasText: number,
      ]
    ): Result<number, Context>;
  }
}

// Atomic per user. KEYS[1]: the latest `messages` arrival times, newest first; KEYS[2]: the last
// text's digest, when it came and how many times in a row. Both expire once they can no longer
// matter. A verdict clears the user's counts in the same step, so that of instances receiving the
// user's updates at once, only one sees it (and bans once).
const SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local messages = tonumber(ARGV[3])
redis.call('LPUSH', KEYS[1], now)
redis.call('LTRIM', KEYS[1], 0, messages - 1)
redis.call('PEXPIRE', KEYS[1], window)
local recent = 0
for _, at in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  if tonumber(at) > now - window then recent = recent + 1 end
end
if recent >= messages then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
if ARGV[7] == '1' then
  local gap = tonumber(ARGV[5])
  local digest = redis.sha1hex(ARGV[6])
  local last = redis.call('HMGET', KEYS[2], 'digest', 'at', 'count')
  local count = 1
  if last[1] == digest and now - tonumber(last[2]) <= gap then count = tonumber(last[3]) + 1 end
  redis.call('HSET', KEYS[2], 'digest', digest, 'at', now, 'count', count)
  redis.call('PEXPIRE', KEYS[2], gap)
  if count >= tonumber(ARGV[4]) then
    redis.call('DEL', KEYS[1], KEYS[2])
    return 2
  end
end
return 0
`;

const VERDICTS: readonly (FloodKind | undefined)[] = [undefined, 'burst', 'repeat'];

export class SharedFloodCounter implements FloodCounter {
  /** Set from a failed call until one succeeds: the failure is logged once, not per update. */
  private failing = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: {
      keyPrefix: string;
      /** Judges while Redis cannot. */
      memory: FloodDetector;
      log: Logger;
      clock: () => number;
    },
  ) {
    redis.defineCommand('omnicoreFlood', { numberOfKeys: 2, lua: SCRIPT });
  }

  check(
    userId: number,
    text: string | undefined,
    limits: FloodLimits,
  ): FloodKind | undefined | Promise<FloodKind | undefined> {
    // Not ready: the outage is logged where the connection is made (security.ts).
    if (this.redis.status !== 'ready') return this.options.memory.check(userId, text, limits);
    return this.shared(userId, text, limits);
  }

  /** Redis cleared the user's counts along with the verdict; only the in-memory ones are left. */
  forget(userId: number): void {
    this.options.memory.forget(userId);
  }

  private async shared(userId: number, text: string | undefined, limits: FloodLimits): Promise<FloodKind | undefined> {
    // The braces keep both keys of a user in one slot of a Redis Cluster.
    const key = `${this.options.keyPrefix}:flood:{${userId}}`;
    try {
      const verdict = await this.redis.omnicoreFlood(
        `${key}:times`,
        `${key}:text`,
        this.options.clock(),
        limits.windowMs,
        limits.messages,
        limits.repeats,
        REPEAT_GAP_MS,
        text ?? '',
        text === undefined ? 0 : 1,
      );
      this.failing = false;
      return VERDICTS[verdict];
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.options.log.warn(
          { err: error },
          'shared flood counts failed; this instance counts floods alone meanwhile',
        );
      }
      return this.options.memory.check(userId, text, limits);
    }
  }
}
