// A Bot API that fails at random — 429 with retry_after, 500s, and answers that never come in time —
// while updates stream in: every reply is delivered, and none twice where our side could know.
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../support/fake-bot-api.js';
import { useWebhookPlatform } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';
import { faultScale } from './scale.js';

const API_TIMEOUT_SECONDS = 1;

describe('Bot API faults', () => {
  const fixture = useWebhookPlatform('sqlite', {}, { apiTimeoutSeconds: API_TIMEOUT_SECONDS, retryBaseMs: 50 });

  afterEach(() => {
    fixture.fake.chaos = undefined;
  });

  it(`delivers every reply once through ${faultScale.chaosUpdates} updates of random failures`, async () => {
    const { fake, platform } = fixture;
    await platform.settings.set('inbox.maxAttempts', 20);
    const faults = { rateLimited: 0, serverError: 0, timedOut: 0 };
    fake.chaos = (method): Fault | undefined => {
      if (method !== 'sendMessage') return undefined;
      const roll = Math.random();
      if (roll < 0.1) {
        faults.rateLimited++;
        return { status: 429, retryAfter: 1 };
      }
      if (roll < 0.25) {
        faults.serverError++;
        return { status: 500 };
      }
      if (roll < 0.3) {
        faults.timedOut++;
        return { delayMs: (API_TIMEOUT_SECONDS + 1) * 1000 };
      }
      return undefined;
    };
    const ids: number[] = [];
    for (let index = 0; index < faultScale.chaosUpdates; index++) {
      const update = textUpdate(`/c${index}`, { chatId: 2000 + (index % 25) });
      ids.push(update.update_id);
      expect((await platform.postUpdate(update)).status).toBe(200);
    }
    await fake.waitFor(() => fake.callsOf('sendMessage').length >= ids.length, 120_000);
    await platform.idle();

    const delivered = new Map<string, number>();
    for (const text of fake.sentTexts()) {
      const marker = /\/c\d+/.exec(text)?.[0] ?? text;
      delivered.set(marker, (delivered.get(marker) ?? 0) + 1);
    }
    console.log(
      `Bot API faults: ${ids.length} updates, ${faults.rateLimited} × 429, ${faults.serverError} × 500, ` +
        `${faults.timedOut} timeouts; ${delivered.size} replies delivered`,
    );
    expect(faults.rateLimited + faults.serverError + faults.timedOut).toBeGreaterThan(0);
    expect(delivered.size).toBe(ids.length);
    expect([...delivered.values()].every((count) => count === 1)).toBe(true);
    const failed = await platform.database.db
      .selectFrom('telegram_updates')
      .select('update_id')
      .where('status', '!=', 'done')
      .where('update_id', 'in', ids)
      .execute();
    expect(failed).toEqual([]);
  });
});
