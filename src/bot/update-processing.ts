// Everything between "an update arrived" and "it was handled": the durable inbox, the call journal,
// the per-chat dispatcher with its retry and failure policy, the intake that judges arrivals and
// feeds them, and on PostgreSQL the chat leases that share chats among several instances.
import { BotError } from 'grammy';
import type { Update, User } from 'grammy/types';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Logger } from '../config/logger.js';
import type { Admit } from '../core/admission.js';
import { HandlingAbandoned } from '../core/handling.js';
import type { PlatformMetrics } from '../core/metrics.js';
import { senderOf } from '../core/update-schema.js';
import type { Listen } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../db/settings-store.js';
import { recordBotBlocked } from './blocked-users.js';
import { classifyFailure } from './bot-api-errors.js';
import { CallJournal } from './call-journal.js';
import { ChatLeases } from './chat-leases.js';
import { Dispatcher, exponentialBackoff } from './dispatcher.js';
import { Inbox, type InboxEntry } from './inbox.js';
import { createIntake, type Intake } from './intake.js';

/**
 * The longest a source waits for room (intake.ts): long enough to slow Telegram down, far below the
 * time after which it would give up on the request and send the update again.
 */
const MAX_HOLD_MS = 5000;

export interface UpdateProcessingOptions {
  db: Kysely<Database>;
  /** Where the inbox's bookkeeping and the call journal are written (DatabaseHandle.bookkeeping). */
  bookkeeping: Kysely<Database>;
  settings: SettingsStore;
  metrics: PlatformMetrics;
  log: Logger;
  concurrency: number;
  retryBaseMs: number;
  /** SQLite: writes that must land before a handler runs go straight to the database. */
  runNow?: ((query: CompiledQuery) => void) | undefined;
  /** PostgreSQL: this instance's id and the database's notifications, to share chats with others. */
  instances?: { owner: string; listen: Listen; upkeep: Kysely<Database> } | undefined;
  /** The security layer's judgement of a new update, before it queues. */
  admit: Admit;
  /** Runs the bot's middleware on one update. */
  handleUpdate: (update: Update) => Promise<void>;
  /** Tells a chat that its update could not be handled, after the last attempt. */
  apologise: (chatId: number) => Promise<void>;
  /** A plugin held an update past its deadline: charged to it like a failure. */
  chargePlugin: (plugin: string, error: Error) => void;
}

export interface UpdateProcessing {
  readonly inbox: Inbox;
  readonly journal: CallJournal;
  readonly dispatcher: Dispatcher;
  readonly intake: Intake;
  /** PostgreSQL: which chats this instance handles; to be stopped after the dispatcher. */
  readonly leases: ChatLeases | undefined;
  /**
   * Queues what the last run left unfinished (on PostgreSQL: of chats no live instance holds). An
   * update whose every attempt was started and none finished took the process down each time (a
   * crash, out of memory, a blocked event loop): it is marked failed instead of being run again.
   */
  resume(): Promise<void>;
}

export function createUpdateProcessing(options: UpdateProcessingOptions): UpdateProcessing {
  const { db, bookkeeping, settings, metrics, log } = options;
  const inbox = new Inbox(db, { runNow: options.runNow, owner: options.instances?.owner, bookkeeping });
  let leases: ChatLeases | undefined;
  const journal = new CallJournal(bookkeeping, (method, outcome) => metrics.outgoingCalls.inc({ method, outcome }));
  const dispatcher = new Dispatcher({
    concurrency: options.concurrency,
    maxAttempts: () => settings.get('inbox.maxAttempts'),
    backoffMs: exponentialBackoff(options.retryBaseMs, 60_000),
    deadlineMs: () => settings.get('inbox.deadlineSeconds') * 1000,
    maxQueuedPerChat: () => settings.get('inbox.maxQueuedPerChat'),
    // Nothing runs before the bot reached the Bot API: a wait for it must not count against deadlines.
    paused: true,
    onStart: async (entry) => {
      const started = await inbox.markStarted(entry.updateId);
      if (!started) leases?.refused(entry);
      return started;
    },
    handle: (entry) => journal.run(entry.update, entry.resumed, () => options.handleUpdate(entry.update)),
    classify: (error) => classifyFailure(error).kind,
    onSuccess: async (entry, durationMs) => {
      metrics.updatesHandled.inc();
      metrics.handlerDuration.observe(durationMs / 1000);
      await inbox.markDone(entry.updateId);
    },
    onFailure: async (entry, error, final) => {
      // grammY wraps what a handler threw in a BotError; the cause is what an operator needs.
      const cause = error instanceof BotError ? error.error : error;
      const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      const failure = classifyFailure(error);
      if (failure.kind === 'permanent') {
        // Telegram will not take it (blocked, gone, no rights): an outcome to record, not an error
        // of ours, so it stays out of the failure count that error-rate alerts watch.
        metrics.updatesUndeliverable.inc({ reason: failure.reason });
        log.info({ updateId: entry.updateId, reason: failure.reason }, `update not delivered: ${text}`);
        await inbox.recordFailure(entry.updateId, text, true);
        const sender = senderOf(entry.update);
        if (failure.userBlockedBot && sender) await recordBotBlocked(db, sender as User, Date.now());
        return;
      }
      metrics.updatesFailed.inc({ final: String(final) });
      if (cause instanceof HandlingAbandoned) {
        metrics.updatesAbandoned.inc({ reason: cause.reason });
        if (cause.plugin && cause.reason === 'deadline') options.chargePlugin(cause.plugin, cause);
      }
      log.warn({ err: cause, updateId: entry.updateId, attempt: entry.attempts, final }, 'update handler failed');
      await inbox.recordFailure(entry.updateId, text, final);
      const chatId = Number(entry.chatKey);
      if (final && Number.isSafeInteger(chatId)) {
        await options
          .apologise(chatId)
          .catch((apologyError: unknown) => log.warn({ err: apologyError, chatId }, 'could not send the apology'));
      }
    },
    onDropped: (entry, reason) => {
      metrics.updatesDropped.inc({ reason });
      inbox
        .markDropped(entry.updateId, reason)
        .catch((error: unknown) =>
          log.error({ err: error, updateId: entry.updateId }, 'could not record a dropped update'),
        );
    },
    onInternalError: (error, entry) => log.error({ err: error, updateId: entry.updateId }, 'inbox bookkeeping failed'),
  });
  /** Queues an unfinished update, unless it has taken the process down every time it was started. */
  const takeOver = async (entry: InboxEntry): Promise<void> => {
    if (entry.attempts < settings.get('inbox.maxAttempts')) {
      dispatcher.enqueue(entry);
      return;
    }
    const error = `the process stopped while handling it, ${entry.attempts} times (a crash, out of memory or a blocked event loop)`;
    log.error({ updateId: entry.updateId, attempts: entry.attempts }, `update given up on: ${error}`);
    metrics.updatesFailed.inc({ final: 'true' });
    await inbox.recordFailure(entry.updateId, error, true);
  };
  if (options.instances) {
    leases = new ChatLeases({
      db,
      owner: options.instances.owner,
      upkeep: options.instances.upkeep,
      leaseMs: () => settings.get('inbox.leaseSeconds') * 1000,
      dispatcher,
      takeOver: (entry) => {
        takeOver(entry).catch((error: unknown) =>
          log.error({ err: error, updateId: entry.updateId }, 'could not record a failed update'),
        );
      },
      settling: (updateId) => inbox.settling(updateId),
      listen: options.instances.listen,
      log,
    });
  }
  const resume = async (): Promise<void> => {
    if (leases) return leases.start();
    for (const entry of await inbox.unfinished()) await takeOver(entry);
  };
  const room = () => dispatcher.whenRoom(MAX_HOLD_MS);
  const intake = createIntake(inbox, leases ?? dispatcher, room, options.admit, metrics, log);
  return { inbox, journal, dispatcher, intake, leases, resume };
}
