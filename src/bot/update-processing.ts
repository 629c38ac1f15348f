// Everything between "an update arrived" and "it was handled": the durable inbox, the call journal,
// the per-chat dispatcher with its retry and failure policy, and the intake that feeds them.
import type { Update } from 'grammy/types';
import type { Kysely } from 'kysely';
import type { Logger } from '../config/logger.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../db/settings-store.js';
import type { PlatformMetrics } from '../ops/metrics.js';
import { CallJournal } from './call-journal.js';
import { Dispatcher, exponentialBackoff } from './dispatcher.js';
import { Inbox } from './inbox.js';
import { createIntake, type Intake } from './intake.js';

export interface UpdateProcessingOptions {
  db: Kysely<Database>;
  settings: SettingsStore;
  metrics: PlatformMetrics;
  log: Logger;
  concurrency: number;
  retryBaseMs: number;
  /** Runs the bot's middleware on one update. */
  handleUpdate: (update: Update) => Promise<void>;
  /** Tells a chat that its update could not be handled, after the last attempt. */
  apologise: (chatId: number) => Promise<void>;
}

export interface UpdateProcessing {
  readonly inbox: Inbox;
  readonly journal: CallJournal;
  readonly dispatcher: Dispatcher;
  readonly intake: Intake;
}

export function createUpdateProcessing(options: UpdateProcessingOptions): UpdateProcessing {
  const { db, settings, metrics, log } = options;
  const inbox = new Inbox(db);
  const journal = new CallJournal(db, (method, outcome) => metrics.outgoingCalls.inc({ method, outcome }));
  const dispatcher = new Dispatcher({
    concurrency: options.concurrency,
    maxAttempts: () => settings.get('inbox.maxAttempts'),
    backoffMs: exponentialBackoff(options.retryBaseMs, 60_000),
    handle: (entry) => journal.run(entry.update, entry.resumed, () => options.handleUpdate(entry.update)),
    onSuccess: async (entry, durationMs) => {
      metrics.updatesHandled.inc();
      metrics.handlerDuration.observe(durationMs / 1000);
      await inbox.markDone(entry.updateId);
    },
    onFailure: async (entry, error, final) => {
      metrics.updatesFailed.inc({ final: String(final) });
      // grammY wraps what a handler threw in a BotError; the cause is what an operator needs.
      const cause = error instanceof Error && 'error' in error ? (error as { error: unknown }).error : error;
      const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      log.warn({ err: cause, updateId: entry.updateId, attempt: entry.attempts, final }, 'update handler failed');
      await inbox.recordFailure(entry.updateId, entry.attempts, text, final);
      const chatId = Number(entry.chatKey);
      if (final && Number.isSafeInteger(chatId)) {
        await options
          .apologise(chatId)
          .catch((apologyError: unknown) => log.warn({ err: apologyError, chatId }, 'could not send the apology'));
      }
    },
    onInternalError: (error, entry) => log.error({ err: error, updateId: entry.updateId }, 'inbox bookkeeping failed'),
  });
  return { inbox, journal, dispatcher, intake: createIntake(inbox, dispatcher, metrics) };
}
