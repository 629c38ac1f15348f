// Runs handlers for inbox entries: one chat's updates one at a time in update_id order, different
// chats concurrently up to a limit. A failing update is retried with backoff, holding back only its
// own chat, and after the last attempt it is marked failed so the chat moves on.
import type { InboxEntry } from './inbox.js';

export interface DispatcherOptions {
  /** How many chats may be handled at the same moment. */
  concurrency: number;
  maxAttempts: () => number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs: (attempt: number) => number;
  handle: (entry: InboxEntry) => Promise<void>;
  onSuccess: (entry: InboxEntry, durationMs: number) => Promise<void>;
  onFailure: (entry: InboxEntry, error: unknown, final: boolean) => Promise<void>;
  /** An error in our own bookkeeping (the database), not in a handler. */
  onInternalError: (error: unknown, entry: InboxEntry) => void;
}

interface ChatQueue {
  readonly key: string;
  readonly entries: InboxEntry[];
  /** Running, or waiting out a retry delay: either way not eligible to start. */
  busy: boolean;
  retryTimer?: NodeJS.Timeout;
}

export function exponentialBackoff(baseMs: number, capMs: number): (attempt: number) => number {
  return (attempt) => {
    const delay = Math.min(capMs, baseMs * 2 ** (attempt - 1));
    // Jitter keeps many chats failing on the same outage from retrying in lock-step.
    return delay / 2 + Math.random() * (delay / 2);
  };
}

export class Dispatcher {
  private readonly chats = new Map<string, ChatQueue>();
  private readonly ready: ChatQueue[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private running = 0;
  private stopped = false;

  constructor(private readonly options: DispatcherOptions) {}

  /** Entries not yet finished, whether queued, running or waiting to be retried. */
  get size(): number {
    let total = 0;
    for (const chat of this.chats.values()) total += chat.entries.length;
    return total;
  }

  enqueue(entry: InboxEntry): void {
    if (this.stopped) return;
    let chat = this.chats.get(entry.chatKey);
    if (!chat) {
      chat = { key: entry.chatKey, entries: [], busy: false };
      this.chats.set(entry.chatKey, chat);
    }
    insertInOrder(chat.entries, entry);
    if (!chat.busy && chat.entries.length === 1) this.ready.push(chat);
    this.pump();
  }

  /** Stops starting new work; resolves when running handlers finish or `timeoutMs` passes. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    for (const chat of this.chats.values()) clearTimeout(chat.retryTimer);
    if (this.running === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return finished;
  }

  /** Resolves once every queued entry has been handled (for tests and the CLI's chat). */
  async idle(): Promise<void> {
    if (this.size === 0 && this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return this.idle();
  }

  private pump(): void {
    while (!this.stopped && this.running < this.options.concurrency && this.ready.length > 0) {
      const chat = this.ready.shift() as ChatQueue;
      chat.busy = true;
      this.running++;
      void this.runHead(chat).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0) this.notifyIdle();
      });
    }
  }

  private async runHead(chat: ChatQueue): Promise<void> {
    const entry = chat.entries[0] as InboxEntry;
    const started = performance.now();
    let retryIn: number | undefined;
    try {
      await this.options.handle(entry);
      await this.options
        .onSuccess(entry, performance.now() - started)
        .catch((error) => this.options.onInternalError(error, entry));
      chat.entries.shift();
    } catch (error) {
      entry.attempts++;
      entry.resumed = true;
      const final = entry.attempts >= this.options.maxAttempts();
      await this.options
        .onFailure(entry, error, final)
        .catch((internal) => this.options.onInternalError(internal, entry));
      if (final) chat.entries.shift();
      else retryIn = this.options.backoffMs(entry.attempts);
    }
    if (retryIn !== undefined && !this.stopped) {
      chat.retryTimer = setTimeout(() => {
        chat.retryTimer = undefined;
        this.release(chat);
        this.pump();
      }, retryIn);
      return;
    }
    this.release(chat);
  }

  private release(chat: ChatQueue): void {
    chat.busy = false;
    if (chat.entries.length === 0) this.chats.delete(chat.key);
    else if (!this.stopped) this.ready.push(chat);
  }

  private notifyIdle(): void {
    if (this.size !== 0 && !this.stopped) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

function insertInOrder(entries: InboxEntry[], entry: InboxEntry): void {
  let index = entries.length;
  // Position 0 may be running; a late, lower update_id still goes after it.
  while (index > 1 && (entries[index - 1] as InboxEntry).updateId > entry.updateId) index--;
  entries.splice(index, 0, entry);
}
