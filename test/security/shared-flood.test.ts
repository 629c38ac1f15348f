// The flood counts kept in Redis give the verdicts of the in-memory detector, update for update, on
// the same clock; and a call Redis cannot answer is judged in memory instead.
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FloodDetector } from '../../src/ops/security/flood-detector.js';
import { SharedFloodCounter } from '../../src/ops/security/shared-flood.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const limits = { messages: 5, windowMs: 10_000, repeats: 3 };

describe('flood counts shared in Redis', () => {
  const keyPrefix = `omnicore-test:${process.pid}:${Date.now().toString(36)}`;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    await redis.ping();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('gives the in-memory verdicts for any sequence of arrivals', async () => {
    let run = 0;
    const arrival = fc.record({
      gapMs: fc.integer({ min: 0, max: 12_000 }),
      user: fc.integer({ min: 1, max: 3 }),
      text: fc.option(fc.constantFrom('buy', 'sell', 'hi'), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(arrival, { maxLength: 40 }), async (arrivals) => {
        let now = 1_000_000;
        const clock = () => now;
        const memory = new FloodDetector(clock);
        const shared = new SharedFloodCounter(redis, {
          keyPrefix: `${keyPrefix}:${run++}`,
          memory: new FloodDetector(clock),
          log: pino({ level: 'silent' }),
          clock,
        });
        for (const { gapMs, user, text } of arrivals) {
          now += gapMs;
          const expected = memory.check(user, text, limits);
          // A verdict starts the user afresh, as admission has it after the ban.
          if (expected) memory.forget(user);
          expect(await shared.check(user, text, limits)).toBe(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('judges in memory, and says so once, while Redis fails', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const prefix = `${keyPrefix}:broken`;
    const shared = new SharedFloodCounter(redis, {
      keyPrefix: prefix,
      memory: new FloodDetector(),
      log,
      clock: Date.now,
    });
    // A key of the wrong type makes every call for this user fail while the connection stays ready.
    await redis.set(`${prefix}:flood:{9}:times`, 'not a list');
    const verdicts = [];
    for (let index = 0; index < limits.messages; index++) verdicts.push(await shared.check(9, `line ${index}`, limits));
    expect(verdicts).toEqual([undefined, undefined, undefined, undefined, 'burst']);
    expect(lines.filter((line) => line.includes('shared flood counts failed'))).toHaveLength(1);

    await redis.del(`${prefix}:flood:{9}:times`);
    expect(await shared.check(9, 'again', limits)).toBeUndefined();
    expect(await redis.llen(`${prefix}:flood:{9}:times`)).toBe(1);
  });
});
