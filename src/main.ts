// Wires the parts together and starts them, in the order the update path needs; nothing else.
// `startPlatform` is what `omnicore start`, `omnicore chat` (in-process) and the tests call.

import type { FastifyInstance } from 'fastify';
import { Composer } from 'grammy';
import { ActivityRecorder } from './bot/activity.js';
import { CallJournal } from './bot/call-journal.js';
import { followRegistry } from './bot/command-menu.js';
import { CommandRegistry } from './bot/command-registry.js';
import type { BotContext } from './bot/context.js';
import { Dispatcher, exponentialBackoff } from './bot/dispatcher.js';
import { TelegramEmulator } from './bot/emulator/emulator.js';
import { EMULATOR_PREFIX } from './bot/emulator/routes.js';
import { messages } from './bot/i18n.js';
import { Inbox, type InboxEntry } from './bot/inbox.js';
import { createIntake } from './bot/intake.js';
import { type ConversationHook, createPipeline, fallbackConversation } from './bot/pipeline.js';
import { Poller } from './bot/poller.js';
import { createTelegramBot } from './bot/telegram-bot.js';
import { UserStateStore } from './bot/user-state.js';
import { setWebhook } from './bot/webhook-setup.js';
import { type Config, secretValues } from './config/env.js';
import { createLogger, type Logger } from './config/logger.js';
import { loadOrCreateSecret } from './config/secrets.js';
import { type DatabaseHandle, openDatabase, ping } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { SettingsStore } from './db/settings-store.js';
import { sleep } from './lib/sleep.js';
import { createMetrics, type PlatformMetrics } from './ops/metrics.js';
import { VERSION } from './version.js';
import { buildWebApp } from './web/app.js';

export interface PlatformOptions {
  /** Defaults to a pino logger on stdout at LOG_LEVEL, with secrets redacted. */
  logger?: Logger;
  /** Tuning for tests: how fast failed updates are retried. */
  retryBaseMs?: number;
  /** How many chats are handled at once. */
  concurrency?: number;
  /** How long one Bot API request may take (60 s); fault tests shorten it. */
  apiTimeoutSeconds?: number;
}

export interface Platform {
  readonly config: Config;
  readonly url: string;
  readonly app: FastifyInstance;
  readonly database: DatabaseHandle;
  readonly metrics: PlatformMetrics;
  readonly settings: SettingsStore;
  readonly registry: CommandRegistry;
  readonly emulator: TelegramEmulator | undefined;
  /** Replaceable: the AI issue installs the conversation engine here. */
  conversation: ConversationHook;
  /** Resolves once the Bot API answered and intake runs (webhook set, or polling). */
  readonly ready: Promise<void>;
  /** Resolves when every update received so far has been handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;
const SETTINGS_POLL_MS = 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

export async function startPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const webhookSecret = config.WEBHOOK_SECRET ?? loadOrCreateSecret(config.DATA_DIR, 'webhook-secret');
  const log = options.logger ?? createLogger(config, secretValues(config, [webhookSecret]));
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
  });
  const { db } = database;
  await migrateToLatest(database);

  const settings = new SettingsStore(db);
  await settings.refresh();
  settings.watch(SETTINGS_POLL_MS, (error) => log.warn({ err: error }, 'settings refresh failed'));

  const metrics = createMetrics();
  const inbox = new Inbox(db);
  const journal = new CallJournal(db, (method, outcome) => metrics.outgoingCalls.inc({ method, outcome }));
  const registry = new CommandRegistry();
  const userState = new UserStateStore(db);
  const activity = new ActivityRecorder(db, {
    flushMs: 1000,
    maxBuffered: 1000,
    onError: (error) => log.error({ err: error }, 'could not record activity'),
  });
  activity.start();
  const emulator = config.BOT_MODE === 'emulator' ? new TelegramEmulator() : undefined;
  const startedAt = Date.now();
  const apiTimeoutSeconds = options.apiTimeoutSeconds ?? 60;

  let botReady: () => void = () => {};
  const botIsReady = new Promise<void>((resolve) => {
    botReady = resolve;
  });
  // The bot is created once the HTTP server has its address (the emulator lives on it).
  let bot: ReturnType<typeof createTelegramBot> | undefined;

  const dispatcher = new Dispatcher({
    concurrency: options.concurrency ?? 64,
    maxAttempts: () => settings.get('inbox.maxAttempts'),
    backoffMs: exponentialBackoff(options.retryBaseMs ?? 1000, 60_000),
    handle: async (entry) => {
      await botIsReady;
      await journal.run(entry.update, entry.resumed, () => (bot as NonNullable<typeof bot>).handleUpdate(entry.update));
    },
    onSuccess: async (entry, durationMs) => {
      metrics.updatesHandled.inc();
      metrics.handlerDuration.observe(durationMs / 1000);
      await inbox.markDone(entry.updateId);
    },
    onFailure: async (entry, error, final) => {
      metrics.updatesFailed.inc({ final: String(final) });
      const cause = error instanceof Error && 'error' in error ? (error as { error: unknown }).error : error;
      const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
      log.warn({ err: cause, updateId: entry.updateId, attempt: entry.attempts, final }, 'update handler failed');
      await inbox.recordFailure(entry.updateId, entry.attempts, text, final);
      if (final) await apologise(entry);
    },
    onInternalError: (error, entry) => log.error({ err: error, updateId: entry.updateId }, 'inbox bookkeeping failed'),
  });

  async function apologise(entry: InboxEntry): Promise<void> {
    const chatKey = Number(entry.chatKey);
    if (!bot || !Number.isSafeInteger(chatKey)) return;
    await bot.api
      .sendMessage(chatKey, messages[settings.get('bot.defaultLanguage')].handlerFailed)
      .catch((error: unknown) => log.warn({ err: error, chatId: chatKey }, 'could not send the apology'));
  }

  // Resume before intake opens, so no update is both resumed and received anew.
  for (const entry of await inbox.unfinished()) dispatcher.enqueue(entry);

  const intake = createIntake(inbox, dispatcher, metrics);
  let closing = false;
  const shutdown = new AbortController();
  let pollerFailure: Error | undefined;
  let connectError: Error | undefined;
  const app = await buildWebApp({
    logger: log,
    trustProxy: config.TRUST_PROXY,
    metrics,
    intake,
    webhookSecret,
    emulator,
    isClosing: () => closing,
    readiness: {
      database: () => ping(db),
      bot: async () => {
        if (pollerFailure) throw pollerFailure;
        if (!bot?.isInited())
          throw new Error(`not connected to the Bot API yet${connectError ? `: ${connectError.message}` : ''}`);
      },
    },
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const loopback = ['0.0.0.0', '::'].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  const url = `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`;

  bot = createTelegramBot({
    token: emulator?.token ?? (config.BOT_TOKEN as string),
    apiRoot: emulator ? `${url}${EMULATOR_PREFIX}` : config.TELEGRAM_API_ROOT,
    throttle: config.throttle,
    timeoutSeconds: apiTimeoutSeconds,
  });
  const conversationSlot = { hook: fallbackConversation };
  bot.use(journal.middleware());
  bot.use(
    createPipeline({
      registry,
      userState,
      activity,
      settings,
      adminIds: new Set(config.ADMIN_TELEGRAM_IDS),
      extensions: new Composer<BotContext>(),
      conversation: () => conversationSlot.hook,
      status: {
        version: VERSION,
        mode: config.BOT_MODE,
        database: database.kind,
        startedAt,
        backlog: () => inbox.backlog(),
      },
    }),
  );
  const menu = followRegistry(bot.api, registry, config.ADMIN_TELEGRAM_IDS, (error) =>
    log.warn({ err: error }, 'could not update the command menu'),
  );

  const poller =
    config.BOT_MODE === 'webhook'
      ? undefined
      : new Poller({
          api: bot.api,
          intake,
          log,
          // A long poll must end well before the client gives up on the request.
          timeoutSeconds: Math.max(0, Math.min(emulator ? 10 : 25, apiTimeoutSeconds - 5)),
          onFatal: (error) => {
            pollerFailure = error;
            log.fatal(error.message);
          },
        });

  // Until the Bot API answers, webhooks are still stored; handling waits for `ready`.
  const connect = async (telegram: NonNullable<typeof bot>): Promise<void> => {
    for (let attempt = 1; !closing; attempt++) {
      try {
        // Not bot.init(): it retries network errors forever on its own, and this loop is ours.
        telegram.botInfo = await telegram.api.getMe();
        connectError = undefined;
        if (config.BOT_MODE === 'webhook') await setWebhook(telegram.api, config.WEBHOOK_URL as string, webhookSecret);
        await poller?.start();
        await menu.sync();
        botReady();
        log.info({ mode: config.BOT_MODE, bot: telegram.botInfo.username, url }, 'OMNICore is ready');
        return;
      } catch (error) {
        connectError = error instanceof Error ? error : new Error(String(error));
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5));
        log.warn({ err: error, retryInMs: delay }, 'could not reach the Bot API; retrying');
        await sleep(delay, shutdown.signal);
      }
    }
  };
  const ready = connect(bot);

  const purge = setInterval(() => {
    const day = 24 * 60 * 60 * 1000;
    void inbox
      .purge(Date.now() - settings.get('inbox.retentionDays') * day)
      .catch((error) => log.warn({ err: error }, 'inbox purge failed'));
    void db
      .deleteFrom('usage_events')
      .where('at', '<', Date.now() - settings.get('usage.retentionDays') * day)
      .execute()
      .catch((error) => log.warn({ err: error }, 'usage purge failed'));
  }, PURGE_EVERY_MS);
  purge.unref();

  const platform: Platform = {
    config,
    url,
    app,
    database,
    metrics,
    settings,
    registry,
    emulator,
    ready,
    get conversation() {
      return conversationSlot.hook;
    },
    set conversation(hook: ConversationHook) {
      conversationSlot.hook = hook;
    },
    idle: () => dispatcher.idle(),
    async stop() {
      if (closing) return;
      closing = true;
      shutdown.abort();
      clearInterval(purge);
      menu.stop();
      settings.unwatch();
      const polling = poller?.stop();
      emulator?.close();
      await polling;
      const finished = await dispatcher.stop(SHUTDOWN_GRACE_MS);
      if (!finished) log.warn('stopping with handlers still running; their updates resume at the next start');
      await app.close();
      await activity.stop();
      await database.close();
      log.info('OMNICore stopped');
    },
  };
  return platform;
}
