// The bot's sending schedule shared by every instance on one Redis: each message takes the next free
// slot, `1/rate` seconds after the one before whichever instance took it, from one Lua script on
// Redis's own clock (instances' clocks may differ). BullMQ's limiter alone only counts jobs per
// window: two instances each spreading their half of a window evenly still met in bursts (measured:
// 429s under a cap 20 % above the rate). A 429's retry_after moves the schedule for all of them.
import type { Redis, Result } from 'ioredis';
import { sleep } from './pace.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    omnicoreBroadcastSlot(key: string, intervalMs: number, holdMs: number): Result<number, Context>;
  }
}

// KEYS[1]: when the next slot is free (ms on Redis's clock). Returns how long the caller waits for the
// slot it took. A slot is never given in the past: after a pause the schedule starts again at now.
const SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(free, now + tonumber(ARGV[2]))
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', 60000 + tonumber(ARGV[2]))
return slot - now
`;

export class SharedPace {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ratePerSecond: () => number,
  ) {
    redis.defineCommand('omnicoreBroadcastSlot', { numberOfKeys: 1, lua: SCRIPT });
  }

  /** Resolves at this message's slot; rejects when `signal` aborts first. */
  async wait(signal: AbortSignal): Promise<void> {
    const delayMs = await this.redis.omnicoreBroadcastSlot(this.key, 1000 / this.ratePerSecond(), 0);
    if (delayMs > 0) await sleep(delayMs, signal);
  }

  /** No slot for anyone sooner than `ms` from now (Telegram's retry_after). */
  async holdFor(ms: number): Promise<void> {
    await this.redis.omnicoreBroadcastSlot(this.key, 0, ms);
  }
}
