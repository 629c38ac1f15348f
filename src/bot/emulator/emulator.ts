// The built-in Telegram emulator: an in-memory Bot API server for running without BOT_TOKEN.
// The bot reaches it over real HTTP (see routes.ts) exactly as it would reach Telegram; people
// reach it through the chat side (`omnicore chat`, the admin panel's test chat), which plays users.
import { EventEmitter } from 'node:events';
import type { BotCommand, Chat, InlineKeyboardMarkup, Message, MessageEntity, Update, User } from 'grammy/types';
import { chatKeyOf } from '../../core/update-schema.js';

export class EmulatorApiError extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
  }
}

/** What the bot did, as the chat side sees it. */
export type BotEvent =
  | { seq: number; chatId: number; type: 'message' | 'edit'; message: Message }
  | { seq: number; chatId: number; type: 'delete'; messageId: number }
  | { seq: number; chatId: number; type: 'callback_answer'; text?: string }
  | { seq: number; chatId: number; type: 'chat_action'; action: string };

type NewEvent = BotEvent extends infer E ? (E extends BotEvent ? Omit<E, 'seq'> : never) : never;

interface ChatRecord {
  chat: Chat.PrivateChat;
  nextMessageId: number;
  messages: Map<number, Message>;
}

interface WebhookSettings {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections?: number;
}

type Params = Record<string, unknown>;
type Method = (params: Params) => unknown;

const MAX_EVENTS = 5000;
const MAX_QUEUED_UPDATES = 10_000;

interface EmulatorEvents {
  event: [BotEvent];
  update: [];
  close: [];
}

export class TelegramEmulator extends EventEmitter<EmulatorEvents> {
  readonly token: string;
  readonly botUser: User & { is_bot: true; username: string };
  private readonly chats = new Map<number, ChatRecord>();
  private readonly queue: Update[] = [];
  private readonly events: BotEvent[] = [];
  private readonly commands = new Map<string, BotCommand[]>();
  private readonly callbackQueries = new Map<string, number>();
  private webhook: WebhookSettings | undefined;
  private nextUpdateId = 1;
  private nextEventSeq = 1;
  private nextCallbackId = 1;
  private confirmedOffset = 0;
  private delivering = false;
  private closed = false;

  /**
   * `firstUpdateId`: where numbering starts. The platform passes one past the highest update_id its
   * inbox holds, so that a restarted emulator never reuses an id the inbox already has.
   */
  constructor(options: { token?: string; botName?: string; firstUpdateId?: number } = {}) {
    super();
    this.setMaxListeners(0);
    this.nextUpdateId = options.firstUpdateId ?? 1;
    const botId = 7000000001;
    this.token = options.token ?? `${botId}:emulator-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    this.botUser = {
      id: botId,
      is_bot: true,
      first_name: options.botName ?? 'OMNICore',
      username: 'omnicore_emulator_bot',
    };
  }

  // ── the chat side: people playing Telegram users ────────────────────────────────────────────

  /** A user writes `text` to the bot in their private chat; returns the message as the bot will see it. */
  sendUserMessage(user: User, text: string): Message {
    const record = this.chatOf(user);
    const message = {
      message_id: record.nextMessageId++,
      date: unixNow(),
      chat: record.chat,
      from: user,
      text,
      ...commandEntities(text),
    } as Message.TextMessage;
    record.messages.set(message.message_id, message);
    this.push({ message } as Omit<Update, 'update_id'>);
    return message;
  }

  /** A user presses an inline button under one of the bot's messages. */
  pressButton(user: User, messageId: number, data: string): string {
    const record = this.chatOf(user);
    const message = record.messages.get(messageId);
    const buttons = (message?.reply_markup?.inline_keyboard ?? []).flat();
    if (!message || !buttons.some((button) => 'callback_data' in button && button.callback_data === data)) {
      throw new EmulatorApiError(400, 'Bad Request: no such button on that message');
    }
    const id = String(this.nextCallbackId++);
    this.callbackQueries.set(id, record.chat.id);
    this.push({
      callback_query: { id, from: user, chat_instance: String(record.chat.id), message, data },
    } as Omit<Update, 'update_id'>);
    return id;
  }

  /** Bot events after `afterSeq` in one chat; waits up to `waitMs` for the first one. */
  async eventsAfter(chatId: number, afterSeq: number, waitMs: number): Promise<BotEvent[]> {
    const found = (): BotEvent[] => this.events.filter((event) => event.seq > afterSeq && event.chatId === chatId);
    const now = found();
    if (now.length > 0 || waitMs <= 0) return now;
    await this.waitFor('event', waitMs, (event) => event.chatId === chatId);
    return found();
  }

  /**
   * One chat as it stands, both sides' messages in order (edits applied, deleted ones gone), with
   * the event sequence it reflects: a chat side that reloads draws this, then follows events after it.
   */
  transcript(chatId: number): { messages: Message[]; seq: number } {
    return { messages: [...(this.chats.get(chatId)?.messages.values() ?? [])], seq: this.lastEventSeq };
  }

  /** Updates from one chat the bot has not confirmed (fetched and stored) yet. */
  queuedFrom(chatId: number): number {
    return this.queue.filter((update) => chatKeyOf(update) === String(chatId)).length;
  }

  get lastEventSeq(): number {
    return this.nextEventSeq - 1;
  }

  // ── the bot side: the Bot API ───────────────────────────────────────────────────────────────

  /** Answers one Bot API call, or throws EmulatorApiError as Telegram would answer with ok=false. */
  async call(method: string, params: Params): Promise<unknown> {
    if (method === 'getUpdates') return this.getUpdates(params);
    const handler = this.methods[method];
    if (!handler) throw new EmulatorApiError(404, 'Not Found: method not found');
    return handler(params);
  }

  private readonly methods: Record<string, Method> = {
    getMe: () => ({
      ...this.botUser,
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    }),
    logOut: () => true,
    close: () => true,
    sendMessage: (params) => {
      const record = this.requireChat(params.chat_id);
      const text = requireText(params.text);
      const message = {
        message_id: record.nextMessageId++,
        date: unixNow(),
        chat: record.chat,
        from: this.botUser,
        text,
        ...(isInlineKeyboard(params.reply_markup) ? { reply_markup: params.reply_markup } : {}),
      } as Message.TextMessage;
      record.messages.set(message.message_id, message);
      this.record({ chatId: record.chat.id, type: 'message', message });
      return message;
    },
    editMessageText: (params) => {
      const { record, message } = this.requireBotMessage(params);
      const text = requireText(params.text);
      const markup = isInlineKeyboard(params.reply_markup) ? params.reply_markup : undefined;
      if (message.text === text && JSON.stringify(message.reply_markup) === JSON.stringify(markup)) {
        throw new EmulatorApiError(
          400,
          'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
      return this.replaceMessage(record, { ...message, text, reply_markup: markup, edit_date: unixNow() });
    },
    editMessageReplyMarkup: (params) => {
      const { record, message } = this.requireBotMessage(params);
      const markup = isInlineKeyboard(params.reply_markup) ? params.reply_markup : undefined;
      return this.replaceMessage(record, { ...message, reply_markup: markup, edit_date: unixNow() });
    },
    deleteMessage: (params) => {
      const record = this.requireChat(params.chat_id);
      const messageId = Number(params.message_id);
      if (!record.messages.delete(messageId))
        throw new EmulatorApiError(400, 'Bad Request: message to delete not found');
      this.record({ chatId: record.chat.id, type: 'delete', messageId });
      return true;
    },
    answerCallbackQuery: (params) => {
      const chatId = this.callbackQueries.get(String(params.callback_query_id));
      if (chatId === undefined)
        throw new EmulatorApiError(
          400,
          'Bad Request: query is too old and response timeout expired or query ID is invalid',
        );
      this.callbackQueries.delete(String(params.callback_query_id));
      this.record({
        chatId,
        type: 'callback_answer',
        ...(typeof params.text === 'string' ? { text: params.text } : {}),
      });
      return true;
    },
    sendChatAction: (params) => {
      const record = this.requireChat(params.chat_id);
      this.record({ chatId: record.chat.id, type: 'chat_action', action: String(params.action ?? 'typing') });
      return true;
    },
    setMyCommands: (params) => {
      const commands = params.commands;
      if (!Array.isArray(commands) || commands.length > 100)
        throw new EmulatorApiError(400, 'Bad Request: commands must be an array of at most 100');
      this.commands.set(commandsKey(params), commands as BotCommand[]);
      return true;
    },
    getMyCommands: (params) => this.commands.get(commandsKey(params)) ?? [],
    deleteMyCommands: (params) => this.commands.delete(commandsKey(params)) || true,
    setWebhook: (params) => {
      if (typeof params.url !== 'string')
        throw new EmulatorApiError(400, 'Bad Request: bad webhook: URL must be a string');
      if (params.url === '') {
        this.webhook = undefined;
        return true;
      }
      this.webhook = {
        url: params.url,
        ...(typeof params.secret_token === 'string' ? { secret_token: params.secret_token } : {}),
        ...(Array.isArray(params.allowed_updates) ? { allowed_updates: params.allowed_updates as string[] } : {}),
      };
      if (params.drop_pending_updates === true) this.queue.length = 0;
      void this.deliverToWebhook();
      return true;
    },
    deleteWebhook: (params) => {
      this.webhook = undefined;
      if (params.drop_pending_updates === true) this.queue.length = 0;
      return true;
    },
    getWebhookInfo: () => ({
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
      ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
    }),
  };

  private async getUpdates(params: Params): Promise<Update[]> {
    if (this.webhook) {
      throw new EmulatorApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = Number(params.offset ?? 0);
    if (offset > this.confirmedOffset) {
      // As on Telegram, asking from an offset confirms (forgets) every update before it.
      this.confirmedOffset = offset;
      while (this.queue.length > 0 && (this.queue[0] as Update).update_id < offset) this.queue.shift();
    }
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeoutMs = Math.min(50, Math.max(0, Number(params.timeout ?? 0))) * 1000;
    if (this.queue.length === 0 && timeoutMs > 0) {
      await this.waitFor('update', timeoutMs);
    }
    return this.queue.slice(0, limit);
  }

  /** Ends every waiting long poll (the bot's and the chat side's), so that the HTTP server can close at once. */
  close(): void {
    this.closed = true;
    this.emit('close');
  }

  private waitFor<K extends 'event' | 'update'>(
    name: K,
    ms: number,
    accept: (...args: EmulatorEvents[K]) => boolean = () => true,
  ): Promise<void> {
    return new Promise((resolve) => {
      const onEvent = (...args: EmulatorEvents[K]): void => {
        if (accept(...args)) done();
      };
      const done = (): void => {
        clearTimeout(timer);
        this.off(name, onEvent as never);
        this.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.on(name, onEvent as never);
      this.once('close', done);
    });
  }

  private push(payload: Omit<Update, 'update_id'>): void {
    if (this.queue.length >= MAX_QUEUED_UPDATES)
      throw new EmulatorApiError(429, 'Too Many Requests: the bot is not taking updates', { retry_after: 1 });
    this.queue.push({ update_id: this.nextUpdateId++, ...payload } as Update);
    this.emit('update');
    if (this.webhook) void this.deliverToWebhook();
  }

  /** Sends queued updates to the webhook one at a time, as Telegram does, retrying until one is taken. */
  private async deliverToWebhook(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.webhook && this.queue.length > 0 && !this.closed) {
        const hook = this.webhook;
        const update = this.queue[0] as Update;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (hook.secret_token) headers['x-telegram-bot-api-secret-token'] = hook.secret_token;
        const accepted = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(update) })
          .then((response) => response.ok)
          .catch(() => false);
        if (accepted) this.queue.shift();
        else await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    } finally {
      this.delivering = false;
    }
  }

  private record(event: NewEvent): void {
    const full = { ...event, seq: this.nextEventSeq++ } as BotEvent;
    this.events.push(full);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.emit('event', full);
  }

  private chatOf(user: User): ChatRecord {
    let record = this.chats.get(user.id);
    if (!record) {
      record = {
        chat: {
          id: user.id,
          type: 'private',
          first_name: user.first_name,
          ...(user.last_name ? { last_name: user.last_name } : {}),
          ...(user.username ? { username: user.username } : {}),
        },
        nextMessageId: 1,
        messages: new Map(),
      };
      this.chats.set(user.id, record);
    }
    return record;
  }

  private requireChat(chatId: unknown): ChatRecord {
    const record = this.chats.get(Number(chatId));
    if (!record) throw new EmulatorApiError(400, 'Bad Request: chat not found');
    return record;
  }

  private requireBotMessage(params: Params): { record: ChatRecord; message: Message } {
    if (params.inline_message_id !== undefined)
      throw new EmulatorApiError(400, 'Bad Request: inline messages are not emulated');
    const record = this.requireChat(params.chat_id);
    const message = record.messages.get(Number(params.message_id));
    if (!message) throw new EmulatorApiError(400, 'Bad Request: message to edit not found');
    if (message.from?.id !== this.botUser.id) throw new EmulatorApiError(400, "Bad Request: message can't be edited");
    return { record, message };
  }

  private replaceMessage(record: ChatRecord, message: Message): Message {
    record.messages.set(message.message_id, message);
    this.record({ chatId: record.chat.id, type: 'edit', message });
    return message;
  }
}

function requireText(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '')
    throw new EmulatorApiError(400, 'Bad Request: message text is empty');
  if (text.length > 4096) throw new EmulatorApiError(400, 'Bad Request: message is too long');
  return text;
}

function isInlineKeyboard(markup: unknown): markup is InlineKeyboardMarkup {
  return (
    typeof markup === 'object' && markup !== null && Array.isArray((markup as InlineKeyboardMarkup).inline_keyboard)
  );
}

/** One key per scope and language, however the scope object was written (key order, ids as strings). */
function commandsKey(params: Params): string {
  const scope = (typeof params.scope === 'object' && params.scope !== null ? params.scope : {}) as Record<
    string,
    unknown
  >;
  const parts = [String(scope.type ?? 'default'), scope.chat_id, scope.user_id].filter((part) => part !== undefined);
  return `${parts.map(String).join(':')}|${params.language_code ?? ''}`;
}

/** The bot_command entity Telegram adds when a message starts with /command. */
function commandEntities(text: string): { entities?: MessageEntity[] } {
  const match = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?/.exec(text);
  return match ? { entities: [{ type: 'bot_command', offset: 0, length: match[0].length }] } : {};
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
