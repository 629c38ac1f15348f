// Two instances behind a round-robin balancer, on one PostgreSQL schema and one Redis prefix: a
// flooding user's updates, alternated between them, are met at the same count as on one instance;
// settings, plugin state and bans changed on one reach the other through the change signal. Polling
// is slowed to a minute here, so that the signal is the only way a change can arrive in time.
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { FIXED_ANSWER, fixedAnswer, startTestPlatform, type TestPlatform, webhookEnv } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXAMPLES = fileURLToPath(new URL('../../examples/plugins/', import.meta.url));
const POLL_MS = 60_000;
/** Far under the poll: what arrives within it came by the signal. */
const SIGNAL_WITHIN_MS = 1000;
const t = messages.en;

/** Milliseconds until `seen` holds, or Infinity when it still does not after SIGNAL_WITHIN_MS. */
async function delayUntil(seen: () => boolean): Promise<number> {
  const started = performance.now();
  while (!seen()) {
    if (performance.now() - started > SIGNAL_WITHIN_MS) return Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - started;
}

describe('two instances coordinated through Redis', () => {
  const redisKeyPrefix = `omnicore-test:${process.pid}:${Date.now().toString(36)}`;
  let database: TestDatabase;
  let fake: FakeBotApi;
  let a: TestPlatform;
  let b: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    fake = await new FakeBotApi().start();
    const env = { ...webhookEnv(fake.url), REDIS_URL, PLUGINS_DIR: EXAMPLES };
    const options = { redisKeyPrefix, conversation: fixedAnswer, pollMs: POLL_MS };
    a = await startTestPlatform(database, env, options);
    b = await startTestPlatform(database, env, options);
    await Promise.all([a.ready, b.ready]);
  });

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${redisKeyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await fake?.stop();
    await database?.dispose();
  });

  /** Resolves once no update waits in the shared inbox: whichever instance holds a chat handles it. */
  const settled = async () => {
    for (;;) {
      const { pending } = await a.database.db
        .selectFrom('telegram_updates')
        .select((eb) => eb.fn.countAll<number>().as('pending'))
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      if (Number(pending) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all([a.idle(), b.idle()]);
  };

  /** Posts the user's texts alternately to a and b, each handled before the next arrives. */
  const alternate = async (userId: number, texts: string[]) => {
    for (const [index, text] of texts.entries()) {
      const target = index % 2 ? b : a;
      expect((await target.postUpdate(textUpdate(text, { userId }))).status).toBe(200);
      await settled();
    }
  };

  it('brings a setting changed on one instance to the other at once', async () => {
    const delay = (
      await Promise.all([
        a.settings.set('security.floodMessages', 5),
        delayUntil(() => b.settings.get('security.floodMessages') === 5),
      ])
    )[1];
    expect(delay).toBeLessThan(SIGNAL_WITHIN_MS);
  });

  it('bans a burst split between the instances at the flood count, once, and both drop the rest', async () => {
    const user = 700;
    const floodAt = b.settings.get('security.floodMessages');
    await alternate(
      user,
      Array.from({ length: floodAt }, (_, index) => `line ${index}`),
    );
    const replies = fake.sentTexts(user);
    expect(replies.filter((text) => text === FIXED_ANSWER)).toHaveLength(floodAt - 1);
    expect(replies.at(-1)).toBe(t.youAreBanned('1 min'));
    // The ban was made on the instance of the last update; the other learns it by the signal.
    expect(await delayUntil(() => a.security.bans.isBanned(user) && b.security.bans.isBanned(user))).toBeLessThan(
      SIGNAL_WITHIN_MS,
    );
    await alternate(user, ['still here', 'hello?']);
    expect(fake.sentTexts(user)).toEqual(replies);
    expect(await a.security.events.list({ userId: user, type: 'flood' })).toHaveLength(1);
  });

  it('bans the same text repeated across the instances at the repeat limit', async () => {
    await a.settings.set('security.floodMessages', 1000);
    await a.settings.set('security.repeatLimit', 3);
    expect(
      await delayUntil(
        () => b.settings.get('security.repeatLimit') === 3 && b.settings.get('security.floodMessages') === 1000,
      ),
    ).toBeLessThan(SIGNAL_WITHIN_MS);
    const user = 701;
    // Something else in between starts the count again, across instances too.
    await alternate(user, ['buy now', 'buy now', 'other', 'buy now', 'buy now']);
    expect(fake.sentTexts(user).filter((text) => text === FIXED_ANSWER)).toHaveLength(5);
    await alternate(user, ['buy now']);
    expect(fake.sentTexts(user).at(-1)).toBe(t.youAreBanned('1 min'));
    // Recorded by the instance of the last update.
    const [event] = await a.security.events.list({ userId: user, type: 'flood' });
    expect(event?.detail).toEqual({ kind: 'repeat', repeats: 3 });
  });

  it('brings a plugin switched on or off on one instance to the other at once', async () => {
    const name = 'notes';
    const before = b.plugins.list().find((status) => status.name === name)?.active;
    const switched = () => b.plugins.list().find((status) => status.name === name)?.active === !before;
    const [, delay] = await Promise.all([a.plugins.setEnabled(name, !before), delayUntil(switched)]);
    expect(delay).toBeLessThan(SIGNAL_WITHIN_MS);
    await a.plugins.setEnabled(name, !!before);
  });
});
