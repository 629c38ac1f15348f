// The built-in Telegram emulator: an in-memory Bot API server for running without BOT_TOKEN.
// The bot reaches it over real HTTP (see routes.ts) exactly as it would reach Telegram; people
// reach it through the chat side (`omnicore chat`, the admin panel's test chat, the plugin test
// bed), which plays users. Each area of the Bot API lives in a file of its own (messages, media,
// forwards, files, inline, chats, payments, the bot's profile, updates); this one wires them together and
// dispatches each method call to the area that speaks it.
import { EventEmitter } from 'node:events';
import type { Message, User } from 'grammy/types';
import { EmulatorApiError } from './api-error.js';
import { BotProfile } from './bot-profile.js';
import { type BotUser, ChatStore } from './chat-store.js';
import { Chats } from './chats.js';
import type { BotEvent, EmulatorCore, Method, NewEvent } from './events.js';
import { FileStore, type Uploads } from './files.js';
import { Forwards } from './forwards.js';
import { Inline } from './inline.js';
import { Media } from './media.js';
import { Messages } from './messages.js';
import type { Params } from './params.js';
import { Payments } from './payments.js';
import { type NewUpdate, UpdateQueue } from './updates.js';

export { EmulatorApiError } from './api-error.js';
export type { BotEvent } from './events.js';

const MAX_EVENTS = 5000;

interface EmulatorEvents {
  event: [BotEvent];
  update: [];
  close: [];
}

export class TelegramEmulator extends EventEmitter<EmulatorEvents> implements EmulatorCore {
  readonly token: string;
  /** The bot as getMe describes it. */
  readonly botUser: BotUser;
  readonly store: ChatStore;
  readonly files = new FileStore();
  readonly messages: Messages;
  readonly media: Media;
  /** Messages users forward to the bot (forward_origin). */
  readonly forwards: Forwards;
  readonly inline: Inline;
  readonly chats: Chats;
  readonly payments: Payments;
  private readonly updates: UpdateQueue;
  private readonly methods = new Map<string, Method>();
  private readonly events: BotEvent[] = [];
  private nextEventSeq = 1;
  private closed = false;

  /**
   * `firstUpdateId`: where numbering starts. The platform passes one past the highest update_id its
   * inbox holds, so that a restarted emulator never reuses an id the inbox already has.
   */
  constructor(options: { token?: string; botName?: string; firstUpdateId?: number } = {}) {
    super();
    this.setMaxListeners(0);
    const botId = 7000000001;
    this.token = options.token ?? `${botId}:emulator-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    this.botUser = {
      id: botId,
      is_bot: true,
      first_name: options.botName ?? 'OMNICore',
      username: 'omnicore_emulator_bot',
    };
    this.store = new ChatStore(this.botUser);
    this.updates = new UpdateQueue(options.firstUpdateId ?? 1, {
      queued: () => this.emit('update'),
      nextUpdate: (ms) => this.waitFor('update', ms),
      closed: () => this.closed,
    });
    this.messages = new Messages(this);
    this.media = new Media(this, this.messages);
    this.forwards = new Forwards(this, this.messages);
    this.inline = new Inline(this, this.messages);
    this.chats = new Chats(this, this.messages);
    this.payments = new Payments(this, this.messages);
    const areas = [
      new BotProfile(this.botUser),
      this.updates,
      this.messages,
      this.media,
      this.inline,
      this.chats,
      this.payments,
    ];
    for (const area of areas) {
      for (const [name, method] of Object.entries(area.methods)) this.methods.set(name.toLowerCase(), method as Method);
    }
    this.methods.set('getfile', (params) => this.files.describe(params.file_id));
  }

  // ── the chat side: people playing Telegram users ────────────────────────────────────────────

  /** A user writes `text` to the bot in their private chat; returns the message as the bot will see it. */
  sendUserMessage(user: User, text: string): Message {
    return this.messages.send(user, text);
  }

  /** A user presses an inline button under one of the bot's messages in their private chat. */
  pressButton(user: User, messageId: number, data: string): string {
    return this.messages.press(user, messageId, data);
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
    return { messages: this.store.messages(chatId), seq: this.lastEventSeq };
  }

  /** Updates from one chat the bot has not confirmed (fetched and stored) yet. */
  queuedFrom(chatId: number): number {
    return this.updates.queuedFrom(chatId);
  }

  /** Updates the bot has not confirmed (fetched and stored) yet, from every chat. */
  get queuedUpdates(): number {
    return this.updates.size;
  }

  get lastEventSeq(): number {
    return this.nextEventSeq - 1;
  }

  // ── the bot side: the Bot API ───────────────────────────────────────────────────────────────

  /**
   * Answers one Bot API call, or throws EmulatorApiError as Telegram would answer with ok=false.
   * Method names are matched without regard to case, as Telegram matches them.
   */
  async call(method: string, params: Params, uploads: Uploads = new Map()): Promise<unknown> {
    const handler = this.methods.get(method.toLowerCase());
    if (!handler) throw new EmulatorApiError(404, 'Not Found: method not found');
    return handler(params, uploads);
  }

  /** Ends every waiting long poll (the bot's and the chat side's), so that the HTTP server can close at once. */
  close(): void {
    this.closed = true;
    this.emit('close');
  }

  // ── what the areas share (EmulatorCore) ─────────────────────────────────────────────────────

  push(update: NewUpdate): void {
    this.updates.push(update);
  }

  record(event: NewEvent): void {
    const full = { ...event, seq: this.nextEventSeq++ } as BotEvent;
    this.events.push(full);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
    this.emit('event', full);
  }

  async nextEvent<T extends BotEvent>(
    chatId: number,
    afterSeq: number,
    ms: number,
    accept: (event: BotEvent) => event is T,
  ): Promise<T | undefined> {
    const deadline = Date.now() + ms;
    let seen = afterSeq;
    for (;;) {
      const events = await this.eventsAfter(chatId, seen, Math.max(0, deadline - Date.now()));
      const found = events.find(accept);
      if (found) return found;
      seen = events.at(-1)?.seq ?? seen;
      if (Date.now() >= deadline || this.closed) return undefined;
    }
  }

  private waitFor<K extends 'event' | 'update'>(
    name: K,
    ms: number,
    accept: (...args: EmulatorEvents[K]) => boolean = () => true,
  ): Promise<void> {
    if (this.closed) return Promise.resolve();
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
}
