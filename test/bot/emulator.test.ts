// The built-in Telegram emulator over real HTTP, driven by grammY's own Api client as the bot would
// drive Telegram, and by its chat routes as `omnicore chat` plays a user.
import { EventEmitter, once } from 'node:events';
import { Api, GrammyError, InlineKeyboard } from 'grammy';
import type { BotCommand, Update, User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BotEvent, EmulatorApiError, type TelegramEmulator } from '../../src/bot/emulator/emulator.js';
import { EMULATOR_PREFIX } from '../../src/bot/emulator/routes.js';
import { type EmulatorServer, startEmulatorServer, telegramError } from '../support/emulator-server.js';

const ADA: User = { id: 501, is_bot: false, first_name: 'Ada', username: 'ada' };
const GRACE: User = { id: 502, is_bot: false, first_name: 'Grace' };

interface HookRequest {
  secret: string | undefined;
  body: Update;
}

let server: EmulatorServer;
let emulator: TelegramEmulator;
let base: string;
let api: Api;
/** Emits 'request' for every POST to /hook, the webhook target of the webhook test. */
let hook: EventEmitter<{ request: [HookRequest] }>;

beforeEach(async () => {
  hook = new EventEmitter();
  server = await startEmulatorServer((app) => {
    app.post('/hook', async (request) => {
      const secret = request.headers['x-telegram-bot-api-secret-token'];
      hook.emit('request', { secret: typeof secret === 'string' ? secret : undefined, body: request.body as Update });
      return { ok: true };
    });
  });
  ({ emulator, base, api } = server);
});

afterEach(async () => {
  await server.close();
});

/** Checks `condition` until it holds or `ms` pass. */
async function until(condition: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The chat side's view: GET /emulator/chat/events. */
async function chatEvents(userId: number, after = 0, waitMs = 0): Promise<BotEvent[]> {
  const response = await fetch(
    `${base}${EMULATOR_PREFIX}/chat/events?userId=${userId}&after=${after}&waitMs=${waitMs}`,
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: BotEvent[] }).events;
}

function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(`${base}${EMULATOR_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('the Bot API side', () => {
  it('answers getMe with the emulated bot', async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({ id: emulator.botUser.id, is_bot: true, username: 'omnicore_emulator_bot' });
    expect(me.first_name).toBe('OMNICore');
  });

  it('hands out user messages through getUpdates, with a bot_command entity, until an offset confirms them', async () => {
    emulator.sendUserMessage(ADA, '/start');
    emulator.sendUserMessage(ADA, 'just text');

    const updates = await api.getUpdates();
    expect(updates).toHaveLength(2);
    const [start, text] = updates as [Update, Update];
    expect(text.update_id).toBeGreaterThan(start.update_id);
    expect(start.message).toMatchObject({
      text: '/start',
      from: { id: ADA.id, first_name: 'Ada' },
      chat: { id: ADA.id, type: 'private' },
      entities: [{ type: 'bot_command', offset: 0, length: 6 }],
    });
    expect(text.message?.text).toBe('just text');
    expect(text.message?.entities).toBeUndefined();

    // Reading alone confirms nothing.
    expect((await api.getUpdates()).map((update) => update.update_id)).toEqual([start.update_id, text.update_id]);
    // An offset past the first confirms it, and it is gone for good.
    expect((await api.getUpdates({ offset: start.update_id + 1 })).map((update) => update.update_id)).toEqual([
      text.update_id,
    ]);
    expect((await api.getUpdates()).map((update) => update.update_id)).toEqual([text.update_id]);
    expect(await api.getUpdates({ offset: text.update_id + 1 })).toEqual([]);
  });

  it('holds a long poll open while nothing arrives', async () => {
    const started = Date.now();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('ends a long poll early when a message arrives', async () => {
    const started = Date.now();
    const poll = api.getUpdates({ timeout: 30 });
    await until(() => emulator.listenerCount('update') > 0);
    emulator.sendUserMessage(ADA, 'are you there?');
    const updates = await poll;
    expect(updates.map((update) => update.message?.text)).toEqual(['are you there?']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses to send to a chat that does not exist', async () => {
    const failure = api.sendMessage(424242, 'hello?');
    await expect(failure).rejects.toBeInstanceOf(GrammyError);
    await expect(failure).rejects.toMatchObject(telegramError(400, /chat not found/));
  });

  it('shows the bot’s sends, edits and deletions to the chat side, in order', async () => {
    emulator.sendUserMessage(ADA, '/start');
    emulator.sendUserMessage(GRACE, '/start');

    await api.sendChatAction(ADA.id, 'typing');
    const keyboard = new InlineKeyboard().text('Yes', 'answer:yes');
    const sent = await api.sendMessage(ADA.id, 'first', { reply_markup: keyboard });
    expect(sent).toMatchObject({ chat: { id: ADA.id }, from: { id: emulator.botUser.id }, text: 'first' });
    const edited = await api.editMessageText(ADA.id, sent.message_id, 'second');
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'second' });
    expect(await api.deleteMessage(ADA.id, sent.message_id)).toBe(true);

    const events = await chatEvents(ADA.id);
    expect(events.map((event) => event.type)).toEqual(['chat_action', 'message', 'edit', 'delete']);
    const seqs = events.map((event) => event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const [action, message, edit, deletion] = events;
    expect(action).toMatchObject({ type: 'chat_action', action: 'typing' });
    expect(message).toMatchObject({
      type: 'message',
      message: {
        message_id: sent.message_id,
        text: 'first',
        reply_markup: { inline_keyboard: keyboard.inline_keyboard },
      },
    });
    // Editing the text without a reply_markup drops the keyboard, as on Telegram.
    expect(edit).toMatchObject({ type: 'edit', message: { message_id: sent.message_id, text: 'second' } });
    expect(edit?.type === 'edit' && edit.message.reply_markup).toBeFalsy();
    expect(deletion).toEqual({ seq: expect.any(Number), chatId: ADA.id, type: 'delete', messageId: sent.message_id });

    // `after` skips what was seen; another user's chat sees none of it.
    expect((await chatEvents(ADA.id, message?.seq)).map((event) => event.type)).toEqual(['edit', 'delete']);
    expect(await chatEvents(GRACE.id)).toEqual([]);
    await expect(api.deleteMessage(ADA.id, sent.message_id)).rejects.toMatchObject(
      telegramError(400, /message to delete not found/),
    );
  });

  it('lets the chat side wait for the bot’s next reply', async () => {
    emulator.sendUserMessage(ADA, 'hi');
    const started = Date.now();
    const waiting = chatEvents(ADA.id, emulator.lastEventSeq, 20_000);
    await until(() => emulator.listenerCount('event') > 0);
    await api.sendMessage(ADA.id, 'hello back');
    const events = await waiting;
    expect(events.map((event) => event.type === 'message' && event.message.text)).toEqual(['hello back']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses an edit that changes nothing, and an edit of the user’s message', async () => {
    const own = emulator.sendUserMessage(ADA, 'mine');
    const sent = await api.sendMessage(ADA.id, 'same');
    await expect(api.editMessageText(ADA.id, sent.message_id, 'same')).rejects.toMatchObject(
      telegramError(400, /message is not modified/),
    );
    await expect(api.editMessageText(ADA.id, own.message_id, 'yours now')).rejects.toMatchObject(
      telegramError(400, /can't be edited/),
    );
    expect((await chatEvents(ADA.id)).map((event) => event.type)).toEqual(['message']);
  });

  it('turns a button press into a callback_query, and records the bot’s answer as a notice', async () => {
    const own = emulator.sendUserMessage(ADA, '/settings');
    const sent = await api.sendMessage(ADA.id, 'Pick one', {
      reply_markup: new InlineKeyboard().text('Deutsch', 'lang:de').text('English', 'lang:en'),
    });

    // Buttons that do not exist: wrong data, a message without a keyboard, no such message.
    expect(() => emulator.pressButton(ADA, sent.message_id, 'lang:xx')).toThrow(EmulatorApiError);
    expect(() => emulator.pressButton(ADA, own.message_id, 'lang:de')).toThrow(/no such button/);
    expect(() => emulator.pressButton(ADA, 999, 'lang:de')).toThrow(/no such button/);
    const refused = await postJson('/chat/buttons', { userId: ADA.id, messageId: sent.message_id, data: 'lang:xx' });
    expect(refused.status).toBe(400);

    const queryId = emulator.pressButton(ADA, sent.message_id, 'lang:de');
    const updates = await api.getUpdates();
    expect(updates.map((update) => Object.keys(update).find((key) => key !== 'update_id'))).toEqual([
      'message',
      'callback_query',
    ]);
    expect(updates[1]?.callback_query).toMatchObject({
      id: queryId,
      data: 'lang:de',
      from: { id: ADA.id },
      message: { message_id: sent.message_id, chat: { id: ADA.id } },
    });

    expect(await api.answerCallbackQuery(queryId, { text: 'Sprache: Deutsch' })).toBe(true);
    const events = await chatEvents(ADA.id);
    expect(events.at(-1)).toMatchObject({ type: 'callback_answer', chatId: ADA.id, text: 'Sprache: Deutsch' });
    // A query is answered once.
    await expect(api.answerCallbackQuery(queryId)).rejects.toMatchObject(telegramError(400, /query ID is invalid/));

    // Through the chat route, a real button answers with the callback query id.
    const pressed = await postJson('/chat/buttons', { userId: ADA.id, messageId: sent.message_id, data: 'lang:en' });
    expect(pressed.status).toBe(200);
    const { callbackQueryId } = (await pressed.json()) as { callbackQueryId: string };
    const latest = await api.getUpdates({ offset: (updates[1]?.update_id ?? 0) + 1 });
    expect(latest.map((update) => update.callback_query?.id)).toEqual([callbackQueryId]);
  });

  it('keeps the command menu per scope and language', async () => {
    const everyone: BotCommand[] = [{ command: 'start', description: 'Start the bot' }];
    const german: BotCommand[] = [{ command: 'start', description: 'Den Bot starten' }];
    const privateScope = { scope: { type: 'all_private_chats' as const } };
    expect(await api.getMyCommands()).toEqual([]);

    expect(await api.setMyCommands(everyone)).toBe(true);
    expect(await api.setMyCommands(german, { ...privateScope, language_code: 'de' })).toBe(true);

    expect(await api.getMyCommands()).toEqual(everyone);
    expect(await api.getMyCommands({ scope: { type: 'default' } })).toEqual(everyone);
    expect(await api.getMyCommands({ ...privateScope, language_code: 'de' })).toEqual(german);
    expect(await api.getMyCommands({ ...privateScope })).toEqual([]);
    expect(await api.getMyCommands({ language_code: 'de' })).toEqual([]);

    expect(await api.deleteMyCommands({ ...privateScope, language_code: 'de' })).toBe(true);
    expect(await api.getMyCommands({ ...privateScope, language_code: 'de' })).toEqual([]);
    expect(await api.getMyCommands()).toEqual(everyone);
  });

  it('switches to a webhook: getUpdates conflicts, getWebhookInfo reports it, updates are pushed to it', async () => {
    const url = `${base}/hook`;
    expect(await api.setWebhook(url, { secret_token: 'hook-secret' })).toBe(true);
    await expect(api.getUpdates()).rejects.toMatchObject(telegramError(409, /webhook is active/));
    expect(await api.getWebhookInfo()).toMatchObject({ url, pending_update_count: 0 });

    const delivered = once(hook, 'request') as Promise<[HookRequest]>;
    const message = emulator.sendUserMessage(ADA, '/start');
    const [request] = await delivered;
    expect(request.secret).toBe('hook-secret');
    expect(request.body.message).toMatchObject({ message_id: message.message_id, text: '/start' });
    await until(async () => (await api.getWebhookInfo()).pending_update_count === 0);

    expect(await api.deleteWebhook()).toBe(true);
    expect(await api.getWebhookInfo()).toMatchObject({ url: '' });
    // The delivered update is not handed out a second time.
    expect(await api.getUpdates()).toEqual([]);
  });

  it('refuses a wrong token with 401 and an unknown method with 404', async () => {
    const stranger = new Api(`${emulator.botUser.id}:not-the-token`, { apiRoot: `${base}${EMULATOR_PREFIX}` });
    await expect(stranger.getMe()).rejects.toMatchObject(telegramError(401, /Unauthorized/));

    const raw = api.raw as unknown as Record<string, (payload: object) => Promise<unknown>>;
    await expect(raw.sendTelepathicMessage?.({ chat_id: ADA.id })).rejects.toMatchObject(
      telegramError(404, /method not found/),
    );
  });

  it('takes Bot API parameters from the query string too', async () => {
    emulator.sendUserMessage(ADA, 'hi');
    const response = await fetch(
      `${base}${EMULATOR_PREFIX}/bot${emulator.token}/sendMessage?chat_id=${ADA.id}&text=yo`,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, result: { chat: { id: ADA.id }, text: 'yo' } });
  });
});

describe('the chat side', () => {
  it('describes the bot and where its events stand', async () => {
    const response = await fetch(`${base}${EMULATOR_PREFIX}/chat`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      bot: { username: 'omnicore_emulator_bot', firstName: 'OMNICore' },
      lastSeq: 0,
    });
  });

  it('sends a user message that the bot receives', async () => {
    const response = await postJson('/chat/messages', {
      userId: 77,
      firstName: 'Lin',
      username: 'lin_1',
      text: '/help',
    });
    expect(response.status).toBe(200);
    const { messageId } = (await response.json()) as { messageId: number };
    const [update] = await api.getUpdates();
    expect(update?.message).toMatchObject({
      message_id: messageId,
      text: '/help',
      from: { id: 77, first_name: 'Lin', username: 'lin_1', is_bot: false },
    });
  });

  it('refuses bad bodies and queries with 400, and hands the bot nothing', async () => {
    const bad: [string, unknown][] = [
      ['/chat/messages', {}],
      ['/chat/messages', { text: '' }],
      ['/chat/messages', { text: 'x'.repeat(4097) }],
      ['/chat/messages', { userId: -1, text: 'hi' }],
      ['/chat/messages', { username: 'no spaces allowed', text: 'hi' }],
      ['/chat/messages', '{"text": '],
      ['/chat/buttons', { messageId: 'one', data: 'x' }],
      ['/chat/buttons', { messageId: 1 }],
    ];
    for (const [path, body] of bad) {
      const response = await postJson(path, body);
      expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
    }
    for (const query of ['after=-1', 'waitMs=60000', 'userId=abc']) {
      const response = await fetch(`${base}${EMULATOR_PREFIX}/chat/events?${query}`);
      expect(response.status, query).toBe(400);
    }
    expect(await api.getUpdates()).toEqual([]);
  });
});
