// Runs handlers for inbox entries: one chat's updates one at a time in update_id order, different
// chats concurrently up to a limit. Each start is counted (durably, by `onStart`) before the handler
// runs, and each handling has a deadline: past it, or when its plugin is switched off, the handling
// is abandoned and its chat moves on, whatever the abandoned code still does. A failing update is
// retried with backoff, holding back only its own chat, and after the last attempt it is marked
// failed; a failure that retrying cannot change (see bot-api-errors.ts) is final at once.
// `whenRoom` is the back-pressure intake applies: while more chats wait for a slot than there are
// slots, the source is answered late, so the backlog stays at Telegram rather than growing here.

import { Handling, HandlingAbandoned, runHandling, whenAbandoned } from '../core/handling.js';
import type { FailureKind } from './bot-api-errors.js';
import type { InboxEntry } from './inbox.js';

export interface DispatcherOptions {
  /** How many chats may be handled at the same moment. */
  concurrency: number;
  maxAttempts: () => number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs: (attempt: number) => number;
  /** How long one handling may run before it is abandoned. */
  deadlineMs?: () => number;
  /** Updates one chat may have waiting; past it, new ones are dropped. */
  maxQueuedPerChat?: () => number;
  /** Starts paused: entries queue until `start()` (the bot is not connected yet). */
  paused?: boolean;
  /**
   * Records that a handling starts; it runs only once this resolved. `false`: the start was refused
   * (another instance handles the chat now), and the entry leaves the queue without running.
   */
  onStart?: (entry: InboxEntry) => Promise<boolean>;
  handle: (entry: InboxEntry) => Promise<void>;
  /**
   * What a handler's failure means: `benign` counts as success, `permanent` and `refused` are final
   * at once (asking again gets the same answer), `transient` is retried. Without it, all are retried.
   */
  classify?: (error: unknown) => FailureKind;
  onSuccess: (entry: InboxEntry, durationMs: number) => Promise<void>;
  /** `final`: no attempt follows (the last one failed, or it was abandoned). */
  onFailure: (entry: InboxEntry, error: unknown, final: boolean) => Promise<void>;
  /** An entry taken out of the queue without being handled (a full backlog, a ban, a limit). */
  onDropped: (entry: InboxEntry, reason: string) => void;
  /** An error in our own bookkeeping (the database), not in a handler. */
  onInternalError: (error: unknown, entry: InboxEntry) => void;
}

/** What the dispatcher is doing, for readiness and the panel. */
export interface DispatcherLoad {
  running: number;
  concurrency: number;
  /** Entries waiting for their turn (not running). */
  waiting: number;
  /** When a handling last finished (succeeded, failed or was abandoned), ms since the epoch. */
  lastProgressAt: number;
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
  private readonly roomWaiters = new Set<() => void>();
  private readonly inFlight = new Set<Handling>();
  private readonly runningChats = new Set<string>();
  private running = 0;
  /** Entries held, running or not (kept as a count: `size` is read on every update). */
  private held = 0;
  private stopped = false;
  private paused: boolean;
  private lastProgressAt = Date.now();
  /** Since when every slot has been busy with others waiting; undefined while not so. */
  private saturatedSince: number | undefined;

  constructor(private readonly options: DispatcherOptions) {
    this.paused = options.paused ?? false;
  }

  /** Entries not yet finished, whether queued, running or waiting to be retried. */
  get size(): number {
    return this.held;
  }

  load(): DispatcherLoad {
    return {
      running: this.running,
      concurrency: this.options.concurrency,
      waiting: this.held - this.running,
      lastProgressAt: this.lastProgressAt,
    };
  }

  /**
   * Why the dispatcher cannot keep up, if it cannot: updates wait and none finished for `thresholdMs`,
   * or every slot has been busy with others waiting for that long. For readiness and alerts.
   */
  stall(thresholdMs: number, now = Date.now()): string | undefined {
    const { running, concurrency, waiting, lastProgressAt } = this.load();
    if (waiting <= 0 || this.paused) return undefined;
    if (now - lastProgressAt > thresholdMs) {
      return `backlog not moving: ${waiting} waiting, none finished for ${Math.round((now - lastProgressAt) / 1000)} s`;
    }
    if (this.saturatedSince !== undefined && now - this.saturatedSince > thresholdMs) {
      return `saturated: all ${concurrency} slots busy for ${Math.round((now - this.saturatedSince) / 1000)} s, ${waiting} waiting (${running} running)`;
    }
    return undefined;
  }

  enqueue(entry: InboxEntry): void {
    if (this.stopped) return;
    let chat = this.chats.get(entry.chatKey);
    if (!chat) {
      chat = { key: entry.chatKey, entries: [], busy: false };
      this.chats.set(entry.chatKey, chat);
    }
    if (chat.entries.length >= (this.options.maxQueuedPerChat?.() ?? Number.POSITIVE_INFINITY)) {
      this.options.onDropped(entry, 'chat_backlog_full');
      return;
    }
    insertInOrder(chat.entries, entry);
    this.held++;
    if (!chat.busy && chat.entries.length === 1) this.ready.push(chat);
    this.pump();
    this.watchSaturation();
  }

  /**
   * Resolves once fewer chats wait for a slot than there are slots, or after `maxWaitMs`, with whether
   * it waited; at once while paused or stopped (a wait then would not be about speed).
   */
  whenRoom(maxWaitMs: number): Promise<boolean> {
    if (this.hasRoom()) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.roomWaiters.delete(done);
        resolve(true);
      };
      const timer = setTimeout(done, maxWaitMs);
      this.roomWaiters.add(done);
    });
  }

  private hasRoom(): boolean {
    return this.paused || this.stopped || this.ready.length < this.options.concurrency;
  }

  private notifyRoom(): void {
    if (this.roomWaiters.size > 0 && this.hasRoom()) for (const done of [...this.roomWaiters]) done();
  }

  /** Lets queued entries run (see `paused`). */
  start(): void {
    this.lastProgressAt = Date.now();
    this.paused = false;
    this.pump();
  }

  /** Takes the waiting entries that match out of the queue; running ones finish or meet their deadline. */
  drop(matches: (entry: InboxEntry) => boolean, reason: string): number {
    let dropped = 0;
    for (const chat of this.chats.values()) {
      // The head of a busy chat is running (or about to be retried) and stays.
      const from = chat.busy ? 1 : 0;
      for (let index = chat.entries.length - 1; index >= from; index--) {
        const entry = chat.entries[index] as InboxEntry;
        if (!matches(entry)) continue;
        chat.entries.splice(index, 1);
        this.held--;
        this.options.onDropped(entry, reason);
        dropped++;
      }
      if (chat.entries.length === 0 && !chat.busy) {
        this.chats.delete(chat.key);
        const position = this.ready.indexOf(chat);
        if (position >= 0) this.ready.splice(position, 1);
      }
    }
    if (dropped > 0) {
      this.notifyIdle();
      this.notifyRoom();
    }
    return dropped;
  }

  /**
   * Gives up on the running handlings that are still inside `plugin` once `graceMs` has passed (it
   * was switched off): one that is only finishing its reply gets to finish it.
   */
  abandonPlugin(plugin: string, graceMs: number): void {
    const inside = [...this.inFlight].filter((handling) => handling.plugin === plugin);
    if (inside.length === 0) return;
    setTimeout(() => {
      for (const handling of inside) {
        if (this.inFlight.has(handling) && handling.plugin === plugin)
          handling.abandon('plugin_disabled', `plugin ${plugin} was switched off while it handled the update`);
      }
    }, graceMs).unref();
  }

  /** Stops starting new work; resolves when running handlers finish or `timeoutMs` passes. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    this.notifyRoom();
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

  /** Whether a chat has entries here (queued, running or waiting for a retry). */
  hasChat(chatKey: string): boolean {
    return this.chats.has(chatKey);
  }

  /** Whether a handler of the chat is running (or its start being recorded) right now. */
  isRunning(chatKey: string): boolean {
    return this.runningChats.has(chatKey);
  }

  /** Whether this update is held here already. */
  holds(chatKey: string, updateId: number): boolean {
    return this.chats.get(chatKey)?.entries.some((entry) => entry.updateId === updateId) === true;
  }

  /** Resolves once every queued entry has been handled (for tests and the CLI's chat). */
  async idle(): Promise<void> {
    if (this.size === 0 && this.running === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return this.idle();
  }

  private pump(): void {
    while (!this.stopped && !this.paused && this.running < this.options.concurrency && this.ready.length > 0) {
      const chat = this.ready.shift() as ChatQueue;
      chat.busy = true;
      this.running++;
      this.runningChats.add(chat.key);
      void this.runHead(chat).finally(() => {
        this.running--;
        this.runningChats.delete(chat.key);
        this.lastProgressAt = Date.now();
        this.pump();
        this.watchSaturation();
        if (this.running === 0) this.notifyIdle();
      });
    }
    this.notifyRoom();
  }

  private watchSaturation(): void {
    if (this.running < this.options.concurrency || this.held <= this.running) this.saturatedSince = undefined;
    else this.saturatedSince ??= Date.now();
  }

  private async runHead(chat: ChatQueue): Promise<void> {
    const entry = chat.entries[0] as InboxEntry;
    const started = performance.now();
    let retryIn: number | undefined;
    entry.attempts++;
    let admitted = true;
    try {
      admitted = (await this.options.onStart?.(entry)) ?? true;
    } catch (error) {
      // Not recorded as started means not run: try again later rather than risk an uncounted crash.
      entry.attempts--;
      this.options.onInternalError(error, entry);
      this.retryLater(chat, this.options.backoffMs(1));
      return;
    }
    if (!admitted) {
      entry.attempts--;
      this.finish(chat);
      this.release(chat);
      return;
    }
    const succeed = async (): Promise<void> => {
      await this.options
        .onSuccess(entry, performance.now() - started)
        .catch((error) => this.options.onInternalError(error, entry));
      this.finish(chat);
    };
    try {
      await this.handleWithinDeadline(entry);
      await succeed();
    } catch (error) {
      // An abandoned handling is over whatever its cause: its chat has moved on.
      const kind = error instanceof HandlingAbandoned ? 'permanent' : (this.options.classify?.(error) ?? 'transient');
      if (kind === 'benign') {
        await succeed();
      } else {
        entry.resumed = true;
        const final = kind !== 'transient' || entry.attempts >= this.options.maxAttempts();
        await this.options
          .onFailure(entry, error, final)
          .catch((internal) => this.options.onInternalError(internal, entry));
        if (final) this.finish(chat);
        else retryIn = this.options.backoffMs(entry.attempts);
      }
    }
    if (retryIn !== undefined && !this.stopped) {
      this.retryLater(chat, retryIn);
      return;
    }
    this.release(chat);
  }

  /** The handler, raced against its deadline and its abandonment; the loser runs on unobserved. */
  private async handleWithinDeadline(entry: InboxEntry): Promise<void> {
    const handling = new Handling(entry.updateId);
    const deadlineMs = this.options.deadlineMs?.() ?? Number.POSITIVE_INFINITY;
    const timer = Number.isFinite(deadlineMs)
      ? setTimeout(() => handling.abandon('deadline', `not handled within ${deadlineMs / 1000} s`), deadlineMs)
      : undefined;
    this.inFlight.add(handling);
    try {
      const handled = runHandling(handling, entry.update, () => this.options.handle(entry));
      // An abandoned handler may still reject later; that is no longer anyone's business.
      handled.catch(() => {});
      await Promise.race([handled, whenAbandoned(handling.signal)]);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(handling);
    }
  }

  /** The chat's head is done with, for good. */
  private finish(chat: ChatQueue): void {
    chat.entries.shift();
    this.held--;
  }

  private retryLater(chat: ChatQueue, delayMs: number): void {
    chat.retryTimer = setTimeout(() => {
      chat.retryTimer = undefined;
      this.release(chat);
      this.pump();
    }, delayMs);
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
