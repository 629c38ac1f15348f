// REDIS_URL set but Redis unreachable: the platform starts anyway (no later than without Redis but
// for the short wait for it), says so once, and still limits each user and detects floods on its own
// instead of letting everything through or refusing everyone.
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { createTestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { FIXED_ANSWER, fixedAnswer, startTestPlatform, useWebhookPlatform, webhookEnv } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const UNREACHABLE = 'redis://127.0.0.1:1';
/** How long the security layer waits for Redis at start (REDIS_CONNECT_MS in security.ts). */
const REDIS_CONNECT_MS = 2000;

describe('rate limits with Redis unreachable', () => {
  const fixture = useWebhookPlatform('sqlite', { REDIS_URL: UNREACHABLE }, { conversation: fixedAnswer });

  it('falls back to per-instance limits and logs the outage once', async () => {
    const { platform, fake } = fixture;
    const limit = platform.settings.get('security.userRateLimit');
    for (let index = 0; index < limit + 5; index++) {
      expect((await platform.postUpdate(textUpdate(`line ${index}`, { userId: 650 }))).status).toBe(200);
      // Handled before the next arrives: none is waiting when the limit drops the user's queue.
      await platform.idle();
    }
    await platform.idle();
    const replies = fake.sentTexts(650);
    expect(replies.filter((text) => text === FIXED_ANSWER)).toHaveLength(limit);
    expect(replies.filter((text) => text === messages.en.slowDown)).toHaveLength(1);
    expect(platform.logs.filter((line) => /redis (unreachable|not ready)/.test(line))).toHaveLength(1);
  });

  it('still bans a burst, counted in memory', async () => {
    const { platform, fake } = fixture;
    await platform.settings.set('security.floodMessages', 5);
    const user = 651;
    for (let index = 0; index < 5; index++) {
      expect((await platform.postUpdate(textUpdate(`burst ${index}`, { userId: user }))).status).toBe(200);
      await platform.idle();
    }
    expect(fake.sentTexts(user).filter((text) => text === FIXED_ANSWER)).toHaveLength(4);
    expect(fake.sentTexts(user).at(-1)).toBe(messages.en.youAreBanned('1 min'));
    expect(platform.security.bans.isBanned(user)).toBe(true);
  });
});

describe('start with Redis unreachable', () => {
  it('takes no longer than a start without Redis, but for the wait for it', async () => {
    const fake = await new FakeBotApi().start();
    const startMs = async (env: Record<string, string>): Promise<number> => {
      const database = await createTestDatabase('sqlite');
      const started = performance.now();
      const platform = await startTestPlatform(database, { ...webhookEnv(fake.url), ...env });
      await platform.ready;
      const elapsed = performance.now() - started;
      await platform.stop();
      await database.dispose();
      return elapsed;
    };
    try {
      // The first start in a process pays for loading and compiling; it is left out.
      await startMs({});
      const without = await startMs({});
      const unreachable = await startMs({ REDIS_URL: UNREACHABLE });
      expect(unreachable - without).toBeLessThan(REDIS_CONNECT_MS);
    } finally {
      await fake.stop();
    }
  });
});
