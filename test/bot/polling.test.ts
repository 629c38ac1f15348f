// Long polling against a Bot API server over HTTP: a webhook left behind is removed (best-effort:
// a server without getWebhookInfo or deleteWebhook is still polled), updates are handled once, and
// an offset is confirmed only after its updates are stored.

import { Api } from 'grammy';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/bot/inbox.js';
import type { UpdateSink } from '../../src/bot/intake.js';
import { Poller } from '../../src/bot/poller.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { sleep } from '../../src/lib/sleep.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { FakeBotApi, TEST_TOKEN } from '../support/fake-bot-api.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { textUpdate } from '../support/updates.js';

describe('polling mode', () => {
  let database: TestDatabase | undefined;
  let fake: FakeBotApi | undefined;
  let platform: TestPlatform | undefined;

  afterEach(async () => {
    await platform?.stop();
    await fake?.stop();
    await database?.dispose();
  });

  it('removes a stale webhook without dropping updates, then answers what it polls', async () => {
    database = await createTestDatabase('sqlite');
    fake = await new FakeBotApi().start();
    fake.webhook = { url: 'https://old.example/hook' };
    const { update_id: _, ...start } = textUpdate('/start', { chatId: 31, firstName: 'Polly' });
    fake.queueUpdate(start);
    platform = await startTestPlatform(database, {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_THROTTLE: 'off',
    });
    await platform.ready;
    const [removal] = fake.callsOf('deleteWebhook');
    expect(removal?.params.drop_pending_updates).not.toBe(true);
    await fake.waitFor(() => fake?.sentTexts(31).length === 1);
    expect(fake.sentTexts(31)[0]).toContain('Polly');
    const polls = fake.callsOf('getUpdates');
    expect(polls[0]?.params.allowed_updates).toEqual(expect.arrayContaining(['pre_checkout_query', 'chat_member']));
  });

  it('polls a Bot API server that lacks getWebhookInfo, and goes on when deleteWebhook fails, saying so once', async () => {
    database = await createTestDatabase('sqlite');
    fake = await new FakeBotApi().start();
    fake.fail('getWebhookInfo', { status: 404, description: 'Not Found: method not found' }, Number.POSITIVE_INFINITY);
    fake.fail('deleteWebhook', { status: 404, description: 'Not Found: method not found' }, Number.POSITIVE_INFINITY);
    const { update_id: _, ...start } = textUpdate('/start', { chatId: 32, firstName: 'Lynn' });
    fake.queueUpdate(start);
    platform = await startTestPlatform(database, {
      BOT_TOKEN: TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_THROTTLE: 'off',
    });
    await platform.ready;
    await fake.waitFor(() => fake?.sentTexts(32).length === 1);
    expect(fake.sentTexts(32)[0]).toContain('Lynn');
    expect(platform.logs.filter((line) => line.includes('deleteWebhook failed'))).toHaveLength(1);
  });

  it('asks for the next offset only once a batch is stored, and stores a re-sent batch once', async () => {
    database = await createTestDatabase('sqlite');
    fake = await new FakeBotApi().start();
    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    await migrateToLatest(handle);
    const inbox = new Inbox(handle.db);
    const stored: number[] = [];
    // Storage fails for the whole first batch, as a full disk or a lost database connection would.
    let failuresLeft = 2;
    const intake: UpdateSink = {
      async accept(update) {
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('database unavailable');
        }
        const { stored: isNew } = await inbox.store(update);
        if (isNew) stored.push(update.update_id);
        return isNew;
      },
    };
    const poller = new Poller({
      api: new Api(TEST_TOKEN, { apiRoot: fake.url }),
      intake,
      log: pino({ level: 'silent' }),
      timeoutSeconds: 0,
      onFatal: (error) => {
        throw error;
      },
    });
    const first = fake.queueUpdate({
      message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'a' },
    });
    const second = fake.queueUpdate({
      message: { message_id: 2, date: 0, chat: { id: 1, type: 'private' }, text: 'b' },
    });
    await poller.start();
    await fake.waitFor(() => stored.length === 2);
    await fake.waitFor(() => fake?.callsOf('getUpdates').some((call) => call.params.offset !== undefined) ?? false);
    await poller.stop();
    await handle.close();

    const offsets = fake.callsOf('getUpdates').map((call) => call.params.offset as number | undefined);
    const confirming = offsets.findIndex((offset) => offset === Number(second.update_id) + 1);
    // Every call before the confirming one still asked from the start: the failed batch was fetched again.
    expect(offsets.slice(0, confirming).every((offset) => offset === undefined)).toBe(true);
    expect(confirming).toBeGreaterThanOrEqual(2);
    expect(stored).toEqual([first.update_id, second.update_id]);
    expect(failuresLeft).toBe(0);
  });

  it('polls only while leading: a follower stays quiet, and takes over when leadership moves to it', async () => {
    fake = await new FakeBotApi().start();
    const leading = { a: true, b: false };
    const received = { a: [] as number[], b: [] as number[] };
    const poller = (name: 'a' | 'b') =>
      new Poller({
        api: new Api(TEST_TOKEN, { apiRoot: (fake as FakeBotApi).url }),
        intake: {
          async accept(update) {
            received[name].push(update.update_id);
            return true;
          },
        },
        log: pino({ level: 'silent' }),
        timeoutSeconds: 0,
        onFatal: (error) => {
          throw error;
        },
        isLeader: () => leading[name],
      });
    const [a, b] = [poller('a'), poller('b')];
    await a.start();
    await b.start();
    const update = (id: number) => ({
      message: { message_id: id, date: 0, chat: { id: 1, type: 'private' }, text: `${id}` },
    });
    const first = Number(fake.queueUpdate(update(1)).update_id);
    await fake.waitFor(() => received.a.length === 1);
    leading.a = false;
    leading.b = true;
    // A poll already under way ends (what it fetched is stored, not lost); none follows it.
    await sleep(300);
    const second = Number(fake.queueUpdate(update(2)).update_id);
    await fake.waitFor(() => received.b.includes(second));
    await a.stop();
    await b.stop();
    expect(received.a).toEqual([first]);
    expect(received.b.filter((id) => id !== first)).toEqual([second]);
  });
});
