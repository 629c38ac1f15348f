// The rate limits: one allowance per user shared by two limiter instances over Redis (as two
// platform instances share it), separate allowances in memory, new limits from a settings change,
// and the in-memory fallback when Redis is unreachable.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimits, type RateVerdict } from '../../src/ops/security/rate-limits.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMITS = { user: { points: 10, seconds: 60 }, chat: { points: 20, seconds: 60 } };

async function allowedOf(verdicts: Promise<RateVerdict>[]): Promise<number> {
  return (await Promise.all(verdicts)).filter((verdict) => verdict.allowed).length;
}

describe('rate limits', () => {
  const clients: Redis[] = [];
  const keyPrefix = `omnicore-test:${process.pid}:${Date.now().toString(36)}`;

  const client = async (url = REDIS_URL) => {
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
    redis.on('error', () => {});
    clients.push(redis);
    if (url === REDIS_URL) await new Promise((resolve) => redis.once('ready', resolve));
    return redis;
  };

  beforeAll(async () => {
    await client();
  });

  afterAll(async () => {
    const [first] = clients;
    const keys = (await first?.keys(`${keyPrefix}*`)) ?? [];
    if (keys.length > 0) await first?.del(...keys);
    for (const redis of clients) redis.disconnect();
  });

  it('holds one limit across two instances sharing Redis', async () => {
    const a = new RateLimits({ redis: await client(), keyPrefix }, LIMITS);
    const b = new RateLimits({ redis: await client(), keyPrefix }, LIMITS);
    const verdicts: RateVerdict[] = [];
    for (let index = 0; index < 30; index++) verdicts.push(await (index % 2 ? a : b).consumeUser(42));
    expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(10);
    // The first refusal is flagged once, whichever instance meets it, so only one notice is sent.
    expect(verdicts.filter((verdict) => verdict.firstRefusal)).toHaveLength(1);
    expect(verdicts.findIndex((verdict) => !verdict.allowed)).toBe(10);
    // Other users and chats have allowances of their own.
    expect(await allowedOf([a.consumeUser(43), b.consumeChat(42)])).toBe(2);
  });

  it('keeps separate allowances per instance in memory', async () => {
    const a = new RateLimits({ keyPrefix }, LIMITS);
    const b = new RateLimits({ keyPrefix }, LIMITS);
    const verdicts = Array.from({ length: 30 }, (_, index) => (index % 2 ? a : b).consumeUser(44));
    expect(await allowedOf(verdicts)).toBe(20);
  });

  it('applies new limits after a reconfiguration', async () => {
    const limits = new RateLimits({ keyPrefix }, LIMITS);
    expect(await allowedOf(Array.from({ length: 15 }, () => limits.consumeChat(45)))).toBe(15);
    limits.reconfigure({ ...LIMITS, chat: { points: 3, seconds: 60 } });
    expect(await allowedOf(Array.from({ length: 5 }, () => limits.consumeChat(46)))).toBe(3);
  });

  it('falls back to an in-memory limit when Redis is unreachable, refusing neither everything nor nothing', async () => {
    const down = await client('redis://127.0.0.1:1');
    const limits = new RateLimits({ redis: down, keyPrefix }, LIMITS);
    expect(await allowedOf(Array.from({ length: 15 }, () => limits.consumeUser(47)))).toBe(10);
  });
});
