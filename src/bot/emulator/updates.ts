// The updates waiting for the bot, handed out as Telegram hands them out: by getUpdates (an offset
// confirms everything before it) or pushed to a webhook one at a time, only of the kinds the bot
// asked for (allowed_updates), and numbered on from the first id the emulator was given.
import type { Update } from 'grammy/types';
import { chatKeyOf } from '../../core/update-schema.js';
import { EmulatorApiError } from './api-error.js';
import type { Params } from './params.js';

export type NewUpdate = Omit<Update, 'update_id'>;

interface WebhookSettings {
  url: string;
  secret_token?: string;
}

const MAX_QUEUED_UPDATES = 10_000;
/** What a bot gets until it says otherwise: everything but these, as on Telegram. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export interface UpdateSignals {
  /** Called whenever an update is queued. */
  queued(): void;
  /** Resolves after `ms`, or earlier when an update is queued or the emulator closes. */
  nextUpdate(ms: number): Promise<void>;
  closed(): boolean;
}

export class UpdateQueue {
  private readonly queue: Update[] = [];
  private webhook: WebhookSettings | undefined;
  private allowed: Set<string> | undefined;
  private nextUpdateId: number;
  private confirmedOffset = 0;
  private delivering = false;

  constructor(
    firstUpdateId: number,
    private readonly signals: UpdateSignals,
  ) {
    this.nextUpdateId = firstUpdateId;
  }

  /** Queues an update for the bot, unless it is of a kind the bot did not ask for (then it is lost, as on Telegram). */
  push(payload: NewUpdate): void {
    const kind = Object.keys(payload)[0] ?? '';
    if (this.allowed ? !this.allowed.has(kind) : NOT_BY_DEFAULT.has(kind)) return;
    if (this.queue.length >= MAX_QUEUED_UPDATES)
      throw new EmulatorApiError(429, 'Too Many Requests: the bot is not taking updates', { retry_after: 1 });
    this.queue.push({ update_id: this.nextUpdateId++, ...payload } as Update);
    this.signals.queued();
    if (this.webhook) void this.deliverToWebhook();
  }

  /** Updates not confirmed (fetched and stored) yet. */
  get size(): number {
    return this.queue.length;
  }

  /** Updates from one chat not confirmed (fetched and stored) yet. */
  queuedFrom(chatId: number): number {
    return this.queue.filter((update) => chatKeyOf(update) === String(chatId)).length;
  }

  readonly methods = {
    getUpdates: (params: Params) => this.getUpdates(params),
    setWebhook: (params: Params) => {
      if (typeof params.url !== 'string')
        throw new EmulatorApiError(400, 'Bad Request: bad webhook: URL must be a string');
      this.takeAllowed(params.allowed_updates);
      if (params.url === '') {
        this.webhook = undefined;
        return true;
      }
      this.webhook = {
        url: params.url,
        ...(typeof params.secret_token === 'string' ? { secret_token: params.secret_token } : {}),
      };
      if (params.drop_pending_updates === true) this.queue.length = 0;
      void this.deliverToWebhook();
      return true;
    },
    deleteWebhook: (params: Params) => {
      this.webhook = undefined;
      if (params.drop_pending_updates === true) this.queue.length = 0;
      return true;
    },
    getWebhookInfo: () => ({
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
      ...(this.allowed ? { allowed_updates: [...this.allowed] } : {}),
    }),
  };

  private async getUpdates(params: Params): Promise<Update[]> {
    if (this.webhook) {
      throw new EmulatorApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    this.takeAllowed(params.allowed_updates);
    const offset = Number(params.offset ?? 0);
    if (offset > this.confirmedOffset) {
      // As on Telegram, asking from an offset confirms (forgets) every update before it.
      this.confirmedOffset = offset;
      while (this.queue.length > 0 && (this.queue[0] as Update).update_id < offset) this.queue.shift();
    }
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeoutMs = Math.min(50, Math.max(0, Number(params.timeout ?? 0))) * 1000;
    if (this.queue.length === 0 && timeoutMs > 0) await this.signals.nextUpdate(timeoutMs);
    return this.queue.slice(0, limit);
  }

  /** An empty list means the default kinds again; no list keeps the previous choice. */
  private takeAllowed(list: unknown): void {
    if (!Array.isArray(list)) return;
    this.allowed = list.length === 0 ? undefined : new Set(list.map(String));
  }

  /** Sends queued updates to the webhook one at a time, as Telegram does, retrying until one is taken. */
  private async deliverToWebhook(): Promise<void> {
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (this.webhook && this.queue.length > 0 && !this.signals.closed()) {
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
}
