// Two platform instances behind one load balancer: one PostgreSQL database and one Redis. A user's
// rate limit is one allowance across both, and a ban made on one is enforced by the other.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { FIXED_ANSWER, fixedAnswer, startTestPlatform, type TestPlatform, webhookEnv } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const t = messages.en;

describe('two instances sharing PostgreSQL and Redis', () => {
  const redisKeyPrefix = `omnicore-test:${process.pid}:${Date.now().toString(36)}`;
  let database: TestDatabase;
  let fake: FakeBotApi;
  let instances: TestPlatform[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    fake = await new FakeBotApi().start();
    const env = { ...webhookEnv(fake.url), REDIS_URL };
    for (let index = 0; index < 2; index++) {
      const instance = await startTestPlatform(database, env, { redisKeyPrefix, conversation: fixedAnswer });
      instances.push(instance);
    }
    await Promise.all(instances.map((instance) => instance.ready));
  });

  afterAll(async () => {
    for (const instance of instances) await instance.stop();
    instances = [];
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${redisKeyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await fake.stop();
    await database.dispose();
  });

  it("enforces one user's rate limit across both instances", async () => {
    const [a, b] = instances as [TestPlatform, TestPlatform];
    // Flood detection is per instance; it is kept out of the way so that only the shared limit acts.
    await a.settings.set('security.floodMessages', 1000);
    await b.settings.refresh();
    const user = 600;
    for (let index = 0; index < 50; index++) {
      const target = index % 2 ? a : b;
      expect((await target.postUpdate(textUpdate(`note ${index}`, { userId: user }))).status).toBe(200);
      // Handled before the next arrives: none is waiting when the limit drops the user's queue.
      await target.idle();
    }
    await Promise.all(instances.map((instance) => instance.idle()));
    const replies = fake.sentTexts(user);
    const limit = a.settings.get('security.userRateLimit');
    expect(replies.filter((text) => text === FIXED_ANSWER)).toHaveLength(limit);
    expect(replies.filter((text) => text === t.slowDown)).toHaveLength(1);
  });

  it('enforces a ban made on one instance on the other within two seconds', async () => {
    const [a, b] = instances as [TestPlatform, TestPlatform];
    await a.security.bans.ban(601, { until: Date.now() + 60_000, reason: 'shared', by: 'admin-panel:root' });
    const deadline = Date.now() + 2000;
    while (!b.security.bans.isBanned(601) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(b.security.bans.isBanned(601)).toBe(true);
    expect((await b.postUpdate(textUpdate('anyone?', { userId: 601 }))).status).toBe(200);
    await b.idle();
    expect(fake.sentTexts(601)).toEqual([]);
  });
});
