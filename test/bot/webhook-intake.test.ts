// The webhook path end to end, on SQLite and PostgreSQL: the secret, body checks, storage before
// acknowledgement, duplicates, per-chat order, retries of Bot API faults, and the core commands.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { scrapeMetrics } from '../support/metrics-text.js';
import {
  adminSession,
  startTestPlatform,
  type TestPlatform,
  useWebhookPlatform,
  WEBHOOK_SECRET,
  webhookEnv,
} from '../support/platform.js';
import { callbackUpdate, textUpdate } from '../support/updates.js';

const PANEL_PASSWORD = 'panel-password-for-intake';

describe.each(DATABASE_KINDS)('webhook intake on %s', (kind) => {
  const fixture = useWebhookPlatform(kind, {
    ADMIN_TELEGRAM_IDS: '7',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: PANEL_PASSWORD,
  });
  let database: TestDatabase;
  let fake: FakeBotApi;
  let platform: TestPlatform;

  beforeAll(() => {
    ({ database, fake, platform } = fixture);
  });

  beforeEach(() => {
    fake.calls.length = 0;
  });

  afterEach(async () => {
    await platform.idle();
  });

  it('registered the webhook with its secret, every update type and no dropped updates', async () => {
    const platformFake = new FakeBotApi();
    await platformFake.start();
    const db2 = await createTestDatabase('sqlite');
    const other = await startTestPlatform(db2, webhookEnv(platformFake.url));
    await other.ready;
    try {
      const [call] = platformFake.callsOf('setWebhook');
      expect(call?.params.url).toBe('https://bot.example.test/telegram/webhook');
      expect(call?.params.secret_token).toBe(WEBHOOK_SECRET);
      expect(call?.params.allowed_updates).toEqual(
        expect.arrayContaining(['message', 'callback_query', 'pre_checkout_query']),
      );
      expect(call?.params.drop_pending_updates).not.toBe(true);
      expect(platformFake.callsOf('setMyCommands').length).toBeGreaterThan(0);
    } finally {
      await other.stop();
      await platformFake.stop();
      await db2.dispose();
    }
  });

  it('refuses a missing or wrong secret with 401 and stores nothing', async () => {
    const update = textUpdate('/start');
    expect((await platform.postUpdate(update, null)).status).toBe(401);
    const wrong = await platform.postUpdate(update, `${WEBHOOK_SECRET}x`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ ok: false, error: { code: 'OMNI_WEBHOOK_UNAUTHORIZED' } });
    expect(await storedIds(platform, update.update_id)).toEqual([]);
  });

  it('refuses bodies that are not updates with 400, and oversize bodies with 413', async () => {
    expect((await platform.postUpdate('{"update_id": 1, "message": ')).status).toBe(400);
    expect((await platform.postUpdate({ message: { text: 'no id' } })).status).toBe(400);
    expect((await platform.postUpdate({ update_id: -5, message: {} })).status).toBe(400);
    expect((await platform.postUpdate({ update_id: 991 })).status).toBe(400);
    const badChat = await platform.postUpdate({
      update_id: 992,
      message: { message_id: 1, date: 0, chat: { id: 'x' } },
    });
    expect(badChat.status).toBe(400);
    expect(((await badChat.json()) as { error: { message: string } }).error.message).toMatch(/message\.chat\.id/);
    const huge = textUpdate(`/start ${'x'.repeat(2 * 1024 * 1024)}`);
    expect((await platform.postUpdate(huge)).status).toBe(413);
    expect(await storedIds(platform, 991, 992, huge.update_id)).toEqual([]);
  });

  it('refuses an update nested too deep, and stores the valid ones sent in the same moment', async () => {
    const deep = textUpdate('/start', { chatId: 502 });
    // Written out by hand: serialising 20,000 levels would overflow this side's stack too.
    const levels = 20_000;
    const body = JSON.stringify(deep).replace(/}}$/, `,"extra":${'{"x":'.repeat(levels)}{}${'}'.repeat(levels)}}}`);
    const valid = [textUpdate('/help', { chatId: 503 }), textUpdate('/help', { chatId: 504 })];
    const [refused, ...accepted] = (await Promise.all(
      [body, ...valid].map((update) => platform.postUpdate(update)),
    )) as [Response, ...Response[]];
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/nested deeper than/);
    expect(accepted.map((response) => response.status)).toEqual([200, 200]);
    const stored = await storedIds(platform, deep.update_id, ...valid.map((update) => update.update_id));
    expect(stored.sort()).toEqual(valid.map((update) => update.update_id).sort());
  });

  it('answers /start and /help through the Bot API once the update is stored', async () => {
    const start = textUpdate('/start', { chatId: 501, firstName: 'Grace' });
    const response = await platform.postUpdate(start);
    expect(response.status).toBe(200);
    expect(await storedIds(platform, start.update_id)).toEqual([start.update_id]);
    await platform.postUpdate(textUpdate('/help', { chatId: 501 }));
    await fake.waitFor(() => fake.sentTexts(501).length === 2);
    const [greeting, help] = fake.sentTexts(501);
    expect(greeting).toContain('Grace');
    expect(help).toContain('/settings');
    expect(help).not.toContain('/status');
    const user = await platform.database.db.selectFrom('users').selectAll().where('id', '=', 501).executeTakeFirst();
    expect(user?.first_name).toBe('Grace');
  });

  it('shows admin commands to admins only and refuses /status to others', async () => {
    await platform.postUpdate(textUpdate('/help', { chatId: 7 }));
    await platform.postUpdate(textUpdate('/status', { chatId: 7 }));
    await platform.postUpdate(textUpdate('/status', { chatId: 8 }));
    await fake.waitFor(() => fake.sentTexts(7).length === 2 && fake.sentTexts(8).length === 1);
    expect(fake.sentTexts(7)[0]).toContain('/status');
    expect(fake.sentTexts(7)[1]).toMatch(/Mode: webhook[\s\S]*Database: (sqlite|postgres)[\s\S]*Inbox backlog: \d+/);
    expect(fake.sentTexts(8)[0]).toContain('for the bot admins');
  });

  it('answers commands whatever their case, and leaves a command for another bot alone', async () => {
    await platform.postUpdate(textUpdate('/start@OtherBot', { chatId: 511, firstName: 'Linus' }));
    await platform.idle();
    await platform.postUpdate(textUpdate('/Start', { chatId: 511, firstName: 'Linus' }));
    await platform.postUpdate(textUpdate('/HELP@Test_Bot', { chatId: 511, firstName: 'Linus' }));
    // Three replies: the conversation engine's (not addressed to us as a command), a greeting, the help.
    await fake.waitFor(() => fake.sentTexts(511).length === 3);
    const texts = fake.sentTexts(511);
    expect(texts[0]).not.toContain('Linus');
    expect(texts[1]).toContain('Linus');
    expect(texts[2]).toContain('/settings');
    expect(texts.join('\n')).not.toMatch(/I don't know \/|Did you mean/);
  });

  it('answers an unknown command helpfully and records it', async () => {
    await platform.postUpdate(textUpdate('/hlep', { chatId: 601 }));
    await fake.waitFor(() => fake.sentTexts(601).length === 1);
    expect(fake.sentTexts(601)[0]).toContain('Did you mean /help?');
    await platform.idle();
    await platform.stop().then(
      () => {},
      () => {},
    );
    // stop() flushed the usage buffer; read it through a fresh connection
    const { openDatabase } = await import('../../src/db/database.js');
    const reopened = await openDatabase({ url: database.url, dataDir: database.dataDir });
    const events = await reopened.db.selectFrom('usage_events').selectAll().where('chat_id', '=', 601).execute();
    await reopened.close();
    expect(events).toEqual([expect.objectContaining({ command: 'hlep', outcome: 'unknown_command', kind: 'message' })]);
    platform = await startTestPlatform(database, { ...webhookEnv(fake.url), ADMIN_TELEGRAM_IDS: '7' });
    fixture.platform = platform;
    await platform.ready;
  });

  it('acknowledges a repeated update_id and handles it only once', async () => {
    const update = textUpdate('/help', { chatId: 701 });
    const responses = await Promise.all([1, 2, 3].map(() => platform.postUpdate(update)));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    await platform.idle();
    expect((await platform.postUpdate(update)).status).toBe(200);
    await platform.idle();
    expect(fake.sentTexts(701)).toHaveLength(1);
    const metrics = await scrapeMetrics(platform.url);
    expect(metrics).toMatch(/omnicore_updates_duplicate_total\{source="webhook"\} [1-9]/);
  });

  it('handles an update_id seen before with other content as a new update once the first is handled, and says so', async () => {
    // What Telegram does after a week without updates, and a restarted emulator did: numbering afresh.
    const first = textUpdate('/help', { chatId: 1401 });
    await platform.postUpdate(first);
    await fake.waitFor(() => fake.sentTexts(1401).length === 1);
    await platform.idle();
    const renumbered = textUpdate('/start', { chatId: 1401, updateId: first.update_id, firstName: 'Noor' });
    expect((await platform.postUpdate(renumbered)).status).toBe(200);
    await fake.waitFor(() => fake.sentTexts(1401).length === 2);
    expect(fake.sentTexts(1401)[1]).toContain('Noor');
    // The same content again is a re-delivery: acknowledged, not handled twice.
    expect((await platform.postUpdate(renumbered)).status).toBe(200);
    await platform.idle();
    expect(fake.sentTexts(1401)).toHaveLength(2);
    const metrics = await scrapeMetrics(platform.url);
    expect(metrics).toMatch(/omnicore_updates_conflicting_total\{source="webhook"\} 1\n/);
    expect(platform.logs.filter((line) => line.includes('seen before with other content'))).toHaveLength(1);
    // And on the panel's System page, where an operator looks when the bot seems to ignore people.
    const { cookie } = await adminSession(platform, 'admin', PANEL_PASSWORD);
    const system = await platform.app.inject({ url: '/admin/system', headers: { cookie } });
    expect(system.body).toMatch(/data-conflicts="1"/);
    expect(system.body).toContain(`last: update ${first.update_id} at`);
    expect(system.body).toContain('handled as a new update');
  });

  it('refuses an update_id seen before with other content while the first is pending, and takes it once done', async () => {
    fake.setLatency(800);
    try {
      const first = textUpdate('/help', { chatId: 1501 });
      await platform.postUpdate(first);
      await fake.waitFor(() => fake.calls.some((call) => call.params.chat_id === 1501));
      const renumbered = textUpdate('/start', { chatId: 1501, updateId: first.update_id, firstName: 'Ines' });
      // Not 200: Telegram keeps it and sends it again. Said as what it is, not as a storage failure.
      const deferred = await platform.postUpdate(renumbered);
      expect(deferred.status).toBe(503);
      expect(((await deferred.json()) as { error: { code: string } }).error.code).toBe('OMNI_UPDATE_DEFERRED');
      expect(platform.logs.filter((line) => line.includes('could not store update'))).toEqual([]);
      await platform.idle();
      fake.setLatency(0);
      expect((await platform.postUpdate(renumbered)).status).toBe(200);
      await fake.waitFor(() => fake.sentTexts(1501).length === 2);
      expect(fake.sentTexts(1501)[1]).toContain('Ines');
    } finally {
      fake.setLatency(0);
    }
  });

  it("handles one chat's updates in order while other chats run alongside", async () => {
    fake.setLatency(15);
    try {
      const chats = [801, 802, 803];
      // Like Telegram: each chat's next update is sent once the previous one was acknowledged,
      // and acknowledgement comes long before handling (the fake answers slowly), so queues build.
      await Promise.all(
        chats.map(async (chatId) => {
          for (let index = 0; index < 8; index++) {
            expect((await platform.postUpdate(textUpdate(`/nope${index}`, { chatId }))).status).toBe(200);
          }
        }),
      );
      await fake.waitFor(() => chats.every((chatId) => fake.sentTexts(chatId).length === 8));
      for (const chatId of chats) {
        const order = fake.sentTexts(chatId).map((text) => Number(/nope(\d)/.exec(text)?.[1]));
        expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      }
      const sends = fake.callsOf('sendMessage');
      const firstOfEach = chats.map((chatId) => sends.findIndex((call) => call.params.chat_id === chatId));
      // Concurrency: every chat got its first reply before any chat got its last.
      expect(Math.max(...firstOfEach)).toBeLessThan(sends.length - chats.length);
    } finally {
      fake.setLatency(0);
    }
  });

  it('retries after 429 with retry_after and after a 500, and sends once', async () => {
    fake.fail('sendMessage', { status: 429, retryAfter: 1 });
    fake.fail('sendMessage', { status: 500 });
    await platform.postUpdate(textUpdate('/help', { chatId: 901 }));
    await fake.waitFor(() => fake.sentTexts(901).length === 1);
    const attempts = fake.calls.filter((call) => call.method === 'sendMessage' && call.params.chat_id === 901);
    expect(attempts).toHaveLength(3);
    const [first, , third] = attempts;
    expect((third?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(fake.sentTexts(901)).toHaveLength(1);
  });

  it('does not repeat calls already made when a failing update is retried', async () => {
    // answerCallbackQuery succeeds, editMessageText fails twice: the dispatcher runs the handler
    // three times, and the callback must still be answered only once.
    fake.fail('editMessageText', { status: 500 }, 2);
    await platform.postUpdate(callbackUpdate('core:lang:de', { chatId: 1001 }));
    await fake.waitFor(() => fake.callsOf('editMessageText').length === 1);
    expect(fake.callsOf('editMessageText', false)).toHaveLength(3);
    expect(fake.callsOf('answerCallbackQuery')).toHaveLength(1);
    const state = await platform.database.db
      .selectFrom('user_state')
      .select('language')
      .where('user_id', '=', 1001)
      .executeTakeFirst();
    expect(state?.language).toBe('de');
  });

  it('takes "message is not modified" as done: pressing the language already in use is one edit, no retry, no apology', async () => {
    fake.fail('editMessageText', {
      status: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    const failuresBefore = await failureCount(platform);
    const update = callbackUpdate('core:lang:en', { chatId: 1201 });
    await platform.postUpdate(update);
    await fake.waitFor(() => fake.callsOf('editMessageText', false).length === 1);
    await platform.idle();
    expect(fake.callsOf('editMessageText', false)).toHaveLength(1);
    expect(fake.sentTexts(1201)).toEqual([]);
    expect(await inboxRow(platform, update.update_id)).toMatchObject({ status: 'done', attempts: 1 });
    // Nothing for the error-rate alert to see.
    expect(await failureCount(platform)).toBe(failuresBefore);
  });

  it('gives up at once, without an apology, when the user blocked the bot, and records it on the user', async () => {
    fake.fail('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const update = textUpdate('/help', { chatId: 1301 });
    await platform.postUpdate(update);
    await fake.waitFor(() => fake.callsOf('sendMessage', false).length === 1);
    await platform.idle();
    // One refused reply, and no second call: neither a retry nor an apology.
    expect(fake.callsOf('sendMessage', false)).toHaveLength(1);
    const row = await inboxRow(platform, update.update_id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    // What Telegram answered, not grammY's BotError wrapper around it.
    expect(row.last_error).toMatch(/^GrammyError: .*blocked by the user/);
    const user = await platform.database.db
      .selectFrom('users')
      .select('blocked_bot_at')
      .where('id', '=', 1301)
      .executeTakeFirstOrThrow();
    expect(Number(user.blocked_bot_at)).toBeGreaterThan(0);
    const metrics = await scrapeMetrics(platform.url);
    expect(metrics).toMatch(/omnicore_updates_undeliverable_total\{reason="blocked"\} 1/);
    // Writing again means they unblocked the bot: the mark goes with the next flush of sightings.
    await platform.postUpdate(textUpdate('/start', { chatId: 1301 }));
    await fake.waitFor(() => fake.sentTexts(1301).length === 1);
    await fake.waitFor(() => false, 1500).catch(() => {});
    const later = await platform.database.db
      .selectFrom('users')
      .select('blocked_bot_at')
      .where('id', '=', 1301)
      .executeTakeFirstOrThrow();
    expect(later.blocked_bot_at).toBeNull();
  });

  it('marks an update failed after its last attempt and apologises', async () => {
    await platform.settings.set('inbox.maxAttempts', 2);
    fake.fail('sendMessage', { status: 500 }, 2);
    const update = textUpdate('/help', { chatId: 1101 });
    await platform.postUpdate(update);
    await fake.waitFor(() => fake.sentTexts(1101).length === 1);
    expect(fake.sentTexts(1101)[0]).toMatch(/something went wrong/);
    const row = await platform.database.db
      .selectFrom('telegram_updates')
      .select(['status', 'attempts', 'last_error'])
      .where('update_id', '=', update.update_id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 2 });
    expect(row.last_error).toMatch(/Internal Server Error/);
    await platform.settings.set('inbox.maxAttempts', 5);
  });
});

/** omnicore_updates_failed_total, every label summed. */
async function failureCount(platform: TestPlatform): Promise<number> {
  const metrics = await scrapeMetrics(platform.url);
  return [...metrics.matchAll(/^omnicore_updates_failed_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

async function inboxRow(platform: TestPlatform, updateId: number) {
  return platform.database.db
    .selectFrom('telegram_updates')
    .select(['status', 'attempts', 'last_error'])
    .where('update_id', '=', updateId)
    .executeTakeFirstOrThrow();
}

async function storedIds(platform: TestPlatform, ...ids: number[]): Promise<number[]> {
  const rows = await platform.database.db
    .selectFrom('telegram_updates')
    .select('update_id')
    .where('update_id', 'in', ids)
    .execute();
  return rows.map((row) => Number(row.update_id));
}
