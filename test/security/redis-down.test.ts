// REDIS_URL set but Redis unreachable: the platform starts anyway, says so once, and still limits
// each user on its own instead of letting everything through or refusing everyone.
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/core/i18n.js';
import { FIXED_ANSWER, fixedAnswer, useWebhookPlatform } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

describe('rate limits with Redis unreachable', () => {
  const fixture = useWebhookPlatform('sqlite', { REDIS_URL: 'redis://127.0.0.1:1' }, { conversation: fixedAnswer });

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
});
