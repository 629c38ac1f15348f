// Back-pressure at the webhook, on SQLite and PostgreSQL: while more chats wait for a handler than
// there are handlers, an update is stored at once yet acknowledged only once a handler is free, so
// the backlog stays at Telegram; every update is still handled once, and the wait is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { singleMetric } from '../support/metrics-text.js';
import { startTestPlatform, type TestPlatform, webhookEnv } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

const HANDLERS = 2;
/** Long enough that no reply is out before the first four updates are posted, even on a busy machine. */
const REPLY_LATENCY_MS = 2000;

describe.each(DATABASE_KINDS)('intake back-pressure on %s', (kind) => {
  let database: TestDatabase;
  let fake: FakeBotApi;
  let platform: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fake = await new FakeBotApi().start();
    platform = await startTestPlatform(database, webhookEnv(fake.url), { concurrency: HANDLERS });
    await platform.ready;
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await fake?.stop();
    await database?.dispose();
  });

  it('acknowledges at once while handlers keep up, and late, once a handler is free, when they do not', async () => {
    fake.setLatency(REPLY_LATENCY_MS);
    const repliesOut = () => fake.callsOf('sendMessage').filter((call) => call.answeredAt !== undefined).length;
    const post = async (index: number) => {
      const response = await platform.postUpdate(textUpdate('/start', { updateId: 9000 + index, chatId: 500 + index }));
      expect(response.status).toBe(200);
      return repliesOut();
    };
    // Two chats take the two handlers and a third waits for one: room left, each answered at once.
    for (const index of [0, 1, 2]) expect(await post(index)).toBe(0);
    // A fourth finds two chats waiting: held until a handler finished its reply.
    expect(await post(3)).toBeGreaterThan(0);
    await fake.waitFor(() => repliesOut() >= 4, 15_000);
    const replied = fake.callsOf('sendMessage').map((call) => Number(call.params.chat_id));
    expect(replied.sort()).toEqual([500, 501, 502, 503]);
    expect(await singleMetric(platform, 'omnicore_updates_held_total')).toMatch(
      /omnicore_updates_held_total\{source="webhook"\} 1$/m,
    );
  }, 30_000);
});
