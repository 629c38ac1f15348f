// For plugin authors' tests (`omnicore/testing`): a whole platform in emulator mode with your
// plugins folder, in a temporary data directory. Play Telegram users — write, press buttons, send
// photos and documents, forward messages, pay invoices, use inline mode, act in groups and channels —
// and read what the bot did, message by message, through the same Bot API wire format Telegram speaks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Chat, File, InlineQueryResult, InlineQueryResultsButton, Message, User } from 'grammy/types';
import { pino } from 'pino';
import type { ChannelOptions, GroupOptions } from '../bot/emulator/chats.js';
import type { BotEvent, TelegramEmulator } from '../bot/emulator/emulator.js';
import type { Forwarded, ForwardOrigin } from '../bot/emulator/forwards.js';
import type { InlineChatType } from '../bot/emulator/inline.js';
import type { PaymentOutcome } from '../bot/emulator/payments.js';
import { EMULATOR_PREFIX } from '../bot/emulator/routes.js';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { withinDeadline } from '../lib/deadline.js';
import { sleep } from '../lib/sleep.js';
import { type Platform, startPlatform } from '../main.js';
import { type AdminClient, signInAdmin } from './admin-client.js';

export type { Forwarded, ForwardOrigin } from '../bot/emulator/forwards.js';
export type { PaymentOutcome } from '../bot/emulator/payments.js';
export type { AdminClient, AdminResponse } from './admin-client.js';

export interface PluginTestBedOptions {
  /** The folder holding your plugin folders (what PLUGINS_DIR would be). */
  pluginsDir: string;
  /** Plugins to switch on, with an optional configuration each. */
  enable?: Record<string, Record<string, unknown> | true>;
  /** Extra environment, e.g. ADMIN_TELEGRAM_IDS. */
  env?: Record<string, string>;
}

/** Who acts and where: a user (merged over the default one) in a chat (their private chat with the bot if absent). */
export interface ActOptions {
  user?: Partial<User>;
  chatId?: number;
  /** The message in that chat this one replies to. */
  replyTo?: number;
}

export interface PopOptions {
  /** Whose private chat to read (the default user's unless given). */
  userId?: number;
  /** A group or channel to read instead. */
  chatId?: number;
  timeoutMs?: number;
}

/** The bot's answer to a button press (answerCallbackQuery). */
export interface CallbackAnswer {
  text?: string;
  showAlert?: boolean;
  url?: string;
}

/** The bot's answer to an inline query (answerInlineQuery). */
export interface InlineAnswer {
  queryId: string;
  results: InlineQueryResult[];
  nextOffset?: string;
  button?: InlineQueryResultsButton;
}

export interface PluginTestBed {
  readonly platform: Platform;
  /** The Telegram emulator the bot talks to, for what the helpers below do not cover. */
  readonly emulator: TelegramEmulator;
  /** The user who acts when none is given: id 1001, "Tester". */
  readonly user: User;
  /** A user (the default one unless given) writes `text` to the bot, or in a group with `chatId`. */
  push(text: string, user?: Partial<User>, options?: Omit<ActOptions, 'user'>): Message;
  /** A user sends a photo (PNG, JPEG, GIF or WebP bytes). */
  pushPhoto(image: Uint8Array, options?: ActOptions & { caption?: string }): Message;
  /** A user sends a file as a document. */
  pushDocument(
    data: Uint8Array,
    fileName: string,
    options?: ActOptions & { caption?: string; mimeType?: string },
  ): Message;
  /**
   * A user forwards a message to the bot (or into a group with `chatId`): `original` is a text (its
   * /commands and @mentions found as Telegram does), `{ text, entities }`, or a message (e.g. one the
   * bot sent: its text or caption, entities and media are kept). `origin` is where it came from, as
   * the update's `forward_origin` says: `{ type: 'user', sender_user }`, `{ type: 'hidden_user',
   * sender_user_name }`, `{ type: 'chat', sender_chat }` or `{ type: 'channel', chat, message_id }`,
   * each with an optional `date` (now unless given).
   */
  forward(original: Forwarded, origin: ForwardOrigin, options?: ActOptions): Message;
  /** The bot's next message (or edit, which carries edit_date) in a chat; waits up to `timeoutMs` (15 s). */
  pop(options?: PopOptions): Promise<Message>;
  /** The text (or caption) of the bot's next message or edit in a chat. */
  popText(options?: PopOptions): Promise<string>;
  /** Presses the inline button labelled `button` (or carrying that callback data) and waits for the bot's answer. */
  press(
    message: Message,
    button: string,
    options?: { user?: Partial<User>; timeoutMs?: number },
  ): Promise<CallbackAnswer>;
  /** Types an inline query for the bot and waits for its answer. */
  inline(
    query: string,
    options?: { user?: Partial<User>; offset?: string; chatType?: InlineChatType; timeoutMs?: number },
  ): Promise<InlineAnswer>;
  /** Picks a result of an answered inline query: the user's message via the bot, sent to `chatId` (their private chat if absent). */
  choose(answer: InlineAnswer, resultId: string, options?: { user?: Partial<User>; chatId?: number }): Promise<Message>;
  /**
   * Pays an invoice (a message holding one, or an invoice link): pre-checkout, then the successful
   * payment if the bot agrees. `undelivered`: the user is charged but the bot never gets the
   * successful_payment update (lost on the way), for testing reconciliation.
   */
  pay(
    invoice: Message | string,
    options?: { user?: Partial<User>; timeoutMs?: number; undelivered?: boolean },
  ): Promise<PaymentOutcome>;
  /**
   * The next period of a Stars subscription paid through an invoice link (`chargeId`: one of its
   * charges): a new charge and a successful_payment with is_recurring, without a pre-checkout.
   */
  renew(chargeId: string, options?: { undelivered?: boolean }): { chargeId: string; message: Message };
  /** A group (a supergroup unless `type: 'group'`) owned by the default user unless `owner` is given; the bot is a member unless `bot` says otherwise. */
  createGroup(options: Omit<GroupOptions, 'owner'> & { owner?: User }): Chat.GroupChat | Chat.SupergroupChat;
  /** A channel owned by the default user unless `owner` is given; the bot is its administrator unless `bot` says otherwise. */
  createChannel(options: Omit<ChannelOptions, 'owner'> & { owner?: User }): Chat.ChannelChat;
  join(chatId: number, user: Partial<User>): void;
  leave(chatId: number, user: Partial<User>): void;
  /** The channel's owner posts `text`, or a photo with a caption; the bot, as its administrator, gets a channel_post. */
  post(channelId: number, content: string | { photo: Uint8Array; caption?: string }): Message;
  /** The channel's owner edits a post's text (a photo's caption); the bot gets an edited_channel_post. */
  editPost(channelId: number, messageId: number, text: string): Message;
  /** Waits until the bot has taken and handled every update users caused so far (at most `timeoutMs`, 10 s). */
  idle(timeoutMs?: number): Promise<void>;
  /** The bytes of a file the bot sent, downloaded as a bot downloads them (getFile, then the file URL). */
  download(file: { file_id: string }): Promise<Buffer>;
  /** An admin of the test bed's own, signed in to the panel: for testing a plugin's admin pages and routes. */
  admin(): Promise<AdminClient>;
  /** Stops the platform and removes its temporary data directory. */
  close(): Promise<void>;
}

const DEFAULT_USER: User = { id: 1001, is_bot: false, first_name: 'Tester' };
/**
 * How long pop(), press() and inline() wait by default: a passing test never waits it out, and a busy
 * CI machine (two test files, each with its platform, on two cores) can take seconds to answer.
 */
const DEFAULT_TIMEOUT_MS = 15_000;

export async function createPluginTestBed(options: PluginTestBedOptions): Promise<PluginTestBed> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-plugin-test-'));
  let platform: Platform | undefined;
  try {
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      PLUGINS_DIR: path.resolve(options.pluginsDir),
      LOG_LEVEL: 'warn',
      // Beds of one test run may share trained conversation models (see CACHE_DIR in the README).
      ...(process.env.CACHE_DIR ? { CACHE_DIR: process.env.CACHE_DIR } : {}),
      ...options.env,
    });
    platform = await startPlatform(config, { logger: createLogger(config, [], pino.destination(2)) });
    await platform.ready;
    for (const [name, pluginConfig] of Object.entries(options.enable ?? {})) {
      if (pluginConfig !== true) await platform.plugins.configure(name, pluginConfig);
      await platform.plugins.setEnabled(name, true);
    }
  } catch (error) {
    // A bed that failed to start leaves nothing behind: no running server, no temporary folder.
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return testBed(platform, dataDir);
}

function testBed(platform: Platform, dataDir: string): PluginTestBed {
  const emulator = platform.emulator as TelegramEmulator;
  const userOf = (user: Partial<User> | undefined): User => ({ ...DEFAULT_USER, ...user });
  const chatOf = (options: PopOptions): number => options.chatId ?? options.userId ?? DEFAULT_USER.id;
  /** Per chat, the last event pop() has looked at. */
  const popped = new Map<number, number>();

  /** The bot's first event after `afterSeq` in a chat that `accept` takes, or an error naming what was awaited. */
  async function awaited<T extends BotEvent>(
    chatId: number,
    afterSeq: number,
    timeoutMs: number,
    accept: (event: BotEvent) => event is T,
    what: string,
  ): Promise<T> {
    const found = await emulator.nextEvent(chatId, afterSeq, timeoutMs, accept);
    if (!found) throw new Error(`${what}: nothing from the bot in chat ${chatId} within ${timeoutMs} ms`);
    return found;
  }

  async function pop(options: PopOptions = {}): Promise<Message> {
    const chatId = chatOf(options);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const isMessage = (event: BotEvent): event is Extract<BotEvent, { type: 'message' | 'edit' }> =>
      event.type === 'message' || event.type === 'edit';
    const event = await awaited(chatId, popped.get(chatId) ?? 0, timeoutMs, isMessage, 'pop');
    popped.set(chatId, event.seq);
    return event.message;
  }

  return {
    platform,
    emulator,
    admin: () => signInAdmin(platform),
    user: DEFAULT_USER,
    push(text, user, options = {}) {
      return emulator.messages.send(userOf(user), text, options);
    },
    pushPhoto(image, { user, caption, ...where } = {}) {
      return emulator.media.sendPhoto(userOf(user), image, { ...where, ...(caption !== undefined ? { caption } : {}) });
    },
    pushDocument(data, fileName, { user, ...rest } = {}) {
      return emulator.media.sendDocument(userOf(user), data, fileName, rest);
    },
    forward(original, origin, { user, ...where } = {}) {
      return emulator.forwards.forward(userOf(user), original, origin, where);
    },
    pop,
    async popText(options) {
      const message = await pop(options);
      return message.text ?? message.caption ?? '';
    },
    async press(message, label, { user, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      const buttons = message.reply_markup?.inline_keyboard.flat() ?? [];
      const button =
        buttons.find((candidate) => candidate.text === label) ??
        buttons.find((candidate) => 'callback_data' in candidate && candidate.callback_data === label);
      if (!button || !('callback_data' in button)) {
        const shown = buttons.map((candidate) => `"${candidate.text}"`).join(', ') || 'none';
        throw new Error(`no callback button "${label}" on message ${message.message_id} (buttons: ${shown})`);
      }
      const since = emulator.lastEventSeq;
      const queryId = emulator.messages.press(userOf(user), message.message_id, button.callback_data, message.chat.id);
      const isAnswer = (event: BotEvent): event is Extract<BotEvent, { type: 'callback_answer' }> =>
        event.type === 'callback_answer' && event.queryId === queryId;
      const { text, showAlert, url } = await awaited(message.chat.id, since, timeoutMs, isAnswer, `press "${label}"`);
      return {
        ...(text !== undefined ? { text } : {}),
        ...(showAlert !== undefined ? { showAlert } : {}),
        ...(url ? { url } : {}),
      };
    },
    async inline(query, { user, offset, chatType, timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
      const from = userOf(user);
      const since = emulator.lastEventSeq;
      const queryId = emulator.inline.query(from, query, {
        ...(offset !== undefined ? { offset } : {}),
        ...(chatType ? { chatType } : {}),
      });
      const isAnswer = (event: BotEvent): event is Extract<BotEvent, { type: 'inline_answer' }> =>
        event.type === 'inline_answer' && event.queryId === queryId;
      const { results, nextOffset, button } = await awaited(
        from.id,
        since,
        timeoutMs,
        isAnswer,
        `inline query "${query}"`,
      );
      return { queryId, results, ...(nextOffset ? { nextOffset } : {}), ...(button ? { button } : {}) };
    },
    choose(answer, resultId, { user, chatId } = {}) {
      return emulator.inline.choose(userOf(user), answer.queryId, resultId, chatId);
    },
    pay(invoice, { user, timeoutMs, undelivered } = {}) {
      return emulator.payments.pay(userOf(user), invoice, {
        ...(timeoutMs !== undefined ? { waitMs: timeoutMs } : {}),
        ...(undelivered ? { undelivered } : {}),
      });
    },
    renew(chargeId, options) {
      return emulator.payments.renew(chargeId, options);
    },
    createGroup(group) {
      return emulator.chats.createGroup({ ...group, owner: group.owner ?? DEFAULT_USER });
    },
    createChannel(channel) {
      return emulator.chats.createChannel({ ...channel, owner: channel.owner ?? DEFAULT_USER });
    },
    join(chatId, user) {
      emulator.chats.join(chatId, userOf(user));
    },
    leave(chatId, user) {
      emulator.chats.leave(chatId, userOf(user));
    },
    post(channelId, content) {
      return emulator.chats.post(
        channelId,
        typeof content === 'string' ? content : emulator.media.photo(content.photo, content.caption),
      );
    },
    editPost(channelId, messageId, text) {
      return emulator.chats.editPost(channelId, messageId, text);
    },
    async idle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (emulator.queuedUpdates > 0) {
        if (Date.now() > deadline) throw new Error(`the bot did not take its updates within ${timeoutMs} ms`);
        await sleep(10);
      }
      await withinDeadline(platform.idle(), Math.max(0, deadline - Date.now()), () => {
        return new Error(`the bot did not finish handling its updates within ${timeoutMs} ms`);
      });
    },
    async download({ file_id }) {
      const api = `${platform.url}${EMULATOR_PREFIX}`;
      const query = new URLSearchParams({ file_id });
      const found = (await (await fetch(`${api}/bot${emulator.token}/getFile?${query}`)).json()) as
        | { ok: true; result: File }
        | { ok: false; description: string };
      if (!found.ok) throw new Error(`getFile refused: ${found.description}`);
      const response = await fetch(`${api}/file/bot${emulator.token}/${found.result.file_path}`);
      if (!response.ok) throw new Error(`downloading ${found.result.file_path} failed: ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    },
    async close() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
