// Two platforms on one PostgreSQL schema, as two instances behind a load balancer: one chat's updates
// posted to both in turn are each handled once and in update_id order, and when one instance stops,
// the other takes over the updates it left pending within the lease time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answersByUpdate, FIRST_CHAT, judgeStreams, sendChatStreams } from '../support/chat-streams.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { startTestPlatform, type TestPlatform, webhookEnv } from '../support/platform.js';
import { presetSettings } from '../support/settings.js';
import { textUpdate } from '../support/updates.js';

const LEASE_SECONDS = 3;

describe('chat leases (two instances on PostgreSQL)', () => {
  let database: TestDatabase;
  let fake: FakeBotApi;
  let first: TestPlatform;
  let second: TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // A steady stream per chat is a flood to the security layer; this test is about the inbox.
    await presetSettings(database, { 'security.enabled': false, 'inbox.leaseSeconds': LEASE_SECONDS });
    fake = await new FakeBotApi().start();
    first = await startTestPlatform(database, webhookEnv(fake.url));
    second = await startTestPlatform(database, webhookEnv(fake.url));
    await Promise.all([first.ready, second.ready]);
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await fake?.stop();
    await database?.dispose();
  });

  it('handles the updates of chats posted to both instances in turn once each, in order', async () => {
    const updates = 400;
    const acknowledged = await sendChatStreams({
      target: (index) => (index % 2 === 0 ? first.url : second.url),
      updates,
      chats: 20,
      firstUpdateId: 1_000,
    });
    await fake.waitFor(() => answersByUpdate(fake).size >= updates, 60_000);
    const verdict = judgeStreams(fake, acknowledged);
    expect(acknowledged.size).toBe(updates);
    expect(verdict.lost).toEqual([]);
    expect(verdict.doubled.map(([id]) => id)).toEqual([]);
    expect(verdict.disordered).toEqual([]);
    // Both instances took part: the work was shared, not funnelled through one by accident.
    const handledBy = [first, second].map((platform) => platform.metrics.updatesHandled);
    for (const counter of handledBy) expect((await counter.get()).values[0]?.value ?? 0).toBeGreaterThan(0);
  }, 90_000);

  it('moves the updates a stopping instance left pending to the other within the lease time', async () => {
    fake.calls.length = 0;
    // Slow answers keep the first instance's queue for the chat full when it stops.
    fake.setLatency(150);
    const chatId = FIRST_CHAT + 999;
    const ids = Array.from({ length: 12 }, (_, index) => 50_000 + index);
    for (const updateId of ids) {
      const response = await first.postUpdate(textUpdate(`/u${updateId}`, { updateId, chatId }));
      expect(response.status).toBe(200);
    }
    await fake.waitFor(() => answersByUpdate(fake).size >= 2, 10_000);
    const stopped = Date.now();
    await first.stop();
    const answeredBeforeStop = answersByUpdate(fake).size;
    expect(answeredBeforeStop).toBeLessThan(ids.length);
    await fake.waitFor(() => answersByUpdate(fake).size >= ids.length, LEASE_SECONDS * 1000 + 10_000);
    const takeoverMs = Date.now() - stopped;
    console.log(
      `chat leases: ${ids.length - answeredBeforeStop} updates taken over, all answered ${takeoverMs} ms after the stop`,
    );
    const verdict = judgeStreams(fake, new Set(ids));
    expect(verdict.lost).toEqual([]);
    expect(verdict.doubled.map(([id]) => id)).toEqual([]);
    expect(verdict.disordered).toEqual([]);
    // The first released its leases on the way out: the second did not wait for them to lapse.
    expect(takeoverMs - (ids.length - answeredBeforeStop) * 150).toBeLessThan(LEASE_SECONDS * 1000);
    fake.setLatency(0);
  }, 60_000);
});
