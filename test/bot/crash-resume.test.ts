// What `kill -9` and SIGTERM do to acknowledged updates, with OMNICore as a separate process:
// nothing acknowledged is lost, nothing is answered twice, and a graceful stop finishes its work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeBotApi, TEST_TOKEN } from '../support/fake-bot-api.js';
import { postWebhook, WEBHOOK_SECRET } from '../support/platform.js';
import { type ServingOmnicore, startOmnicore } from '../support/processes.js';
import { callbackUpdate, textUpdate } from '../support/updates.js';

const HOLD = { delayMs: 120_000 };

describe.each(DATABASE_KINDS)('restarts on %s', (kind) => {
  let database: TestDatabase;
  let fake: FakeBotApi;
  let running: ServingOmnicore[] = [];

  const env = (): Record<string, string> => ({
    DATA_DIR: database.dataDir,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: fake.url,
    WEBHOOK_URL: 'https://bot.example.test',
    WEBHOOK_SECRET,
    TELEGRAM_THROTTLE: 'off',
  });

  const start = async (): Promise<ServingOmnicore> => {
    const omnicore = await startOmnicore(env());
    running.push(omnicore);
    return omnicore;
  };

  const post = (omnicore: ServingOmnicore, update: unknown): Promise<Response> => postWebhook(omnicore.url, update);

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    fake = await new FakeBotApi().start();
  });

  afterEach(async () => {
    for (const omnicore of running) omnicore.killTree();
    await Promise.all(running.map((omnicore) => omnicore.finished));
    running = [];
    await fake.stop();
    await database.dispose();
  });

  it('answers every acknowledged update exactly once after SIGKILL mid-handling', async () => {
    const first = await start();
    // Replies reach the fake but are never answered, so handling is in flight when the kill comes;
    // the callback's first call (answerCallbackQuery) goes through, its second (the edit) hangs.
    fake.fail('sendMessage', HOLD, 1000);
    fake.fail('editMessageText', HOLD, 1000);
    const chats = [11, 12, 13, 14, 15];
    const updates = chats.flatMap((chatId) => [textUpdate('/help', { chatId }), textUpdate('/start', { chatId })]);
    const callback = callbackUpdate('core:lang:es', { chatId: 16 });
    for (const update of [...updates, callback]) expect((await post(first, update)).status).toBe(200);
    await fake.waitFor(
      () =>
        fake.callsOf('sendMessage', false).length >= chats.length &&
        fake.callsOf('editMessageText', false).length === 1 &&
        fake.callsOf('answerCallbackQuery').length === 1,
    );
    first.child.kill('SIGKILL');
    expect((await first.finished).signal).toBe('SIGKILL');
    expect(fake.callsOf('sendMessage')).toEqual([]);

    fake.clearFaults();
    const second = await start();
    await fake.waitFor(
      () => fake.callsOf('sendMessage').length === updates.length && fake.callsOf('editMessageText').length === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const chatId of chats) {
      const texts = fake.sentTexts(chatId);
      expect(texts).toHaveLength(2);
      expect(texts.filter((text) => text.includes('Here is what I can do'))).toHaveLength(1);
      expect(texts.filter((text) => text.startsWith('Hello'))).toHaveLength(1);
    }
    expect(fake.callsOf('answerCallbackQuery')).toHaveLength(1);
    expect(fake.callsOf('editMessageText')).toHaveLength(1);

    second.child.kill('SIGTERM');
    expect((await second.finished).code).toBe(0);
    const reopened = await openDatabase({ url: database.url, dataDir: database.dataDir });
    try {
      const statuses = await reopened.db.selectFrom('telegram_updates').select('status').execute();
      expect(statuses.map((row) => row.status)).toEqual(Array(updates.length + 1).fill('done'));
      if (kind === 'sqlite') {
        const { sql } = await import('kysely');
        const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(reopened.db);
        expect(check.rows[0]?.integrity_check).toBe('ok');
      }
    } finally {
      await reopened.close();
    }
  });

  it('finishes in-flight handling on SIGTERM, then exits 0', async () => {
    const omnicore = await start();
    fake.fail('sendMessage', { delayMs: 1500 });
    const update = textUpdate('/help', { chatId: 21 });
    expect((await post(omnicore, update)).status).toBe(200);
    await fake.waitFor(() => fake.callsOf('sendMessage', false).length === 1);
    omnicore.child.kill('SIGTERM');
    expect((await omnicore.finished).code).toBe(0);
    expect(fake.sentTexts(21)).toHaveLength(1);
    const reopened = await openDatabase({ url: database.url, dataDir: database.dataDir });
    try {
      const row = await reopened.db
        .selectFrom('telegram_updates')
        .select('status')
        .where('update_id', '=', update.update_id)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('done');
    } finally {
      await reopened.close();
    }
  });
});
