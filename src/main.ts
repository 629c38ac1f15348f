// Wires the parts together and starts them, in the order the update path needs; nothing else.
// `startPlatform` is what `omnicore start`, `omnicore chat` (in-process) and the tests call.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Bot } from 'grammy';
import { applyEnvironmentAdmin } from './admin/environment-admin.js';
import { createUsageAnalytics, type UsageAnalytics } from './ai/analytics/report.js';
import { createTextCompletion } from './ai/completion.js';
import { localConversation } from './ai/local/conversation.js';
import { LocalEngine } from './ai/local/engine.js';
import { ActivityRecorder } from './bot/activity.js';
import { CommandRegistry } from './bot/command-registry.js';
import type { BotContext } from './bot/context.js';
import { TelegramEmulator } from './bot/emulator/emulator.js';
import { EMULATOR_PREFIX } from './bot/emulator/routes.js';
import { refuseWhenAbandoned } from './bot/handling.js';
import { messages } from './bot/i18n.js';
import { type ConversationHook, createPipeline } from './bot/pipeline.js';
import { createTelegramBot } from './bot/telegram-bot.js';
import { TelegramLink } from './bot/telegram-link.js';
import { createUpdateProcessing } from './bot/update-processing.js';
import { UserStateStore } from './bot/user-state.js';
import { type Config, secretValues } from './config/env.js';
import { createLogger, type Logger } from './config/logger.js';
import { loadOrCreateSecret } from './config/secrets.js';
import { type DatabaseHandle, openConfiguredDatabase, ping } from './db/database.js';
import { databaseIdentity } from './db/identity.js';
import { migrateToLatest } from './db/migrate.js';
import { SettingsStore } from './db/settings-store.js';
import { repeat } from './lib/repeat.js';
import { AlertManager } from './ops/alerts/alert-manager.js';
import { AnomalyWatch } from './ops/alerts/anomaly-watch.js';
import { HealthMonitor } from './ops/health/health-monitor.js';
import { configuredChecks } from './ops/health/registry.js';
import { createMetrics, type PlatformMetrics } from './ops/metrics.js';
import { Observer } from './ops/observer/observer.js';
import { startRetention } from './ops/retention.js';
import { createSecurity, type Security } from './ops/security/security.js';
import { takeCrashRecord } from './ops/watchdog/crash-record.js';
import { EventBus } from './plugins/events.js';
import { PluginHost } from './plugins/host.js';
import { pluginStorage } from './plugins/storage.js';
import { PluginStore } from './plugins/store.js';
import { VERSION } from './version.js';
import { createAdminServices } from './web/admin/services.js';
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
  /** Namespace of the security layer's Redis keys; tests give each run its own. */
  redisKeyPrefix?: string;
  /** Where the watchdog leaves word of a stuck or exhausted process (see ops/watchdog). */
  crashRecordFile?: string;
  /** How long forged webhook calls are counted into one security event per address (60 s); tests shorten it. */
  forgeryWindowMs?: number;
}

export interface Platform {
  readonly config: Config;
  /** The redacting process logger. */
  readonly log: Logger;
  readonly url: string;
  readonly app: FastifyInstance;
  readonly database: DatabaseHandle;
  readonly metrics: PlatformMetrics;
  readonly settings: SettingsStore;
  readonly registry: CommandRegistry;
  readonly plugins: PluginHost;
  /** Usage analytics for the admin panel: `analytics.report()`. */
  readonly analytics: UsageAnalytics;
  readonly emulator: TelegramEmulator | undefined;
  /** System metrics: live samples (`latest`, `subscribe`) and stored history. */
  readonly observer: Observer;
  /** Health checks of the database, the Bot API and the configured outside services, with history. */
  readonly health: HealthMonitor;
  /** Alerts raised from anomalies, forecasts and failing health checks (sent to ADMIN_TELEGRAM_IDS). */
  readonly alerts: AlertManager;
  /** Bans and the security event log (the admin panel records sign-in failures here). */
  readonly security: Security;
  /** Replaceable; by default backed by the local engine below. */
  conversation: ConversationHook;
  /** The offline conversation engine (intents and the knowledge file); an LLM mode falls back to it. */
  readonly conversationEngine: LocalEngine;
  /** Resolves once the Bot API answered and intake runs (webhook set, or polling). */
  readonly ready: Promise<void>;
  /** Resolves when every update received so far has been handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 10_000;
/** What a switched-off plugin's running handlers get to finish before they are abandoned. */
const ABANDON_GRACE_MS = 1000;
const SETTINGS_POLL_MS = 1000;
const PLUGIN_POLL_MS = 1000;
/** The seed's own plugins, compiled beside this file. */
export const BUILTIN_PLUGINS_DIR = fileURLToPath(new URL('./builtin-plugins/', import.meta.url));

export async function startPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  // Whatever the database, DATA_DIR holds secrets, crash records and the disk the observer watches.
  mkdirSync(config.DATA_DIR, { recursive: true });
  const webhookSecret = config.WEBHOOK_SECRET ?? loadOrCreateSecret(config.DATA_DIR, 'webhook-secret');
  const log = options.logger ?? createLogger(config, secretValues(config, [webhookSecret]));
  const database = await openConfiguredDatabase(config);
  const { db } = database;
  await migrateToLatest(database);

  const settings = new SettingsStore(db);
  await settings.refresh();
  const settingsPolling = repeat(() => settings.refresh(), {
    every: SETTINGS_POLL_MS,
    firstAfterMs: SETTINGS_POLL_MS,
    onError: (error) => log.warn({ err: error }, 'settings refresh failed'),
  });

  const metrics = createMetrics();
  // The bot exists once the HTTP server has its address (the emulator lives on it); until it has
  // reached the Bot API, updates are stored and wait (the dispatcher starts paused).
  let bot: Bot<BotContext> | undefined;
  const security = await createSecurity({
    db,
    settings,
    metrics,
    log,
    adminIds: config.ADMIN_TELEGRAM_IDS,
    redisUrl: config.REDIS_URL,
    ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}),
    // Both are called only once updates arrive, by when the bot and the dispatcher below exist.
    notify: async (chatId, text) => {
      if (!bot) throw new Error('the bot is not started yet');
      await bot.api.sendMessage(chatId, text);
    },
    dropWaiting: (matches, reason) => processing.dispatcher.drop((entry) => matches(entry.update), reason),
  });
  const registry = new CommandRegistry();
  const events = new EventBus();
  const userState = new UserStateStore(db);
  const activity = new ActivityRecorder(db, {
    flushMs: 1000,
    maxBuffered: 1000,
    onError: (error) => log.error({ err: error }, 'could not record activity'),
  });
  activity.start();
  const analytics = createUsageAnalytics(db, () => registry.list({ includeAdmin: true }));
  const startedAt = Date.now();
  const apiTimeoutSeconds = options.apiTimeoutSeconds ?? 60;

  const processing = createUpdateProcessing({
    db,
    settings,
    metrics,
    log,
    concurrency: options.concurrency ?? 64,
    retryBaseMs: options.retryBaseMs ?? 1000,
    runNow: database.runNow,
    admit: security.admit,
    handleUpdate: (update) => (bot as Bot<BotContext>).handleUpdate(update),
    apologise: async (chatId) => {
      await bot?.api.sendMessage(chatId, messages[settings.get('bot.defaultLanguage')].handlerFailed);
    },
    chargePlugin: (name, error) => {
      plugins
        .charge(name, error)
        .catch((chargeError: unknown) => log.warn({ err: chargeError }, 'could not charge the plugin'));
    },
  });
  const { inbox, dispatcher, intake } = processing;
  // Resume before intake opens, so no update is both resumed and received anew.
  await processing.resume();
  // The emulator keeps no state of its own: it numbers on from what the inbox holds.
  const emulator =
    config.BOT_MODE === 'emulator'
      ? new TelegramEmulator({ firstUpdateId: (await inbox.lastUpdateId()) + 1 })
      : undefined;

  // Every admin is tried; only when none could be reached does the alert count as not sent.
  const alertAdmins = async (text: string): Promise<void> => {
    const sent = await Promise.allSettled(
      config.ADMIN_TELEGRAM_IDS.map((adminId) => bot?.api.sendMessage(adminId, text)),
    );
    const failed = sent.filter((result) => result.status === 'rejected');
    if (failed.length > 0 && failed.length === sent.length) throw failed[0]?.reason;
  };
  const plugins = new PluginHost({
    store: new PluginStore(db),
    events,
    metrics: metrics.registry,
    storageFor: (name) => pluginStorage(db, name),
    analytics,
    ai: createTextCompletion(config),
    registry,
    log,
    platformVersion: VERSION,
    dirs: [BUILTIN_PLUGINS_DIR, config.PLUGINS_DIR],
    alert: alertAdmins,
    abandon: (name) => dispatcher.abandonPlugin(name, ABANDON_GRACE_MS),
  });
  await plugins.load();
  plugins.watch(PLUGIN_POLL_MS);
  // Before any update runs again: the plugin that took the last run down is switched off first.
  const crash = options.crashRecordFile ? takeCrashRecord(options.crashRecordFile) : undefined;
  if (crash) {
    const plugin = await plugins.chargeCrash(crash.frames, crash.detail);
    log.error({ plugin, frames: crash.frames.slice(0, 5) }, `the last run stopped: ${crash.detail}`);
  }
  let closing = false;
  let link: TelegramLink | undefined;
  const status = {
    version: VERSION,
    mode: config.BOT_MODE,
    database: database.kind,
    startedAt,
    backlog: () => inbox.backlog(),
    conflicts: () => intake.conflicts(),
  };
  // Half a deadline without progress is already more than any healthy moment shows.
  const dispatcherStall = (): string | undefined =>
    dispatcher.stall(Math.min(10_000, (settings.get('inbox.deadlineSeconds') * 1000) / 2));
  const readiness = {
    database: () => ping(db),
    dispatcher: async () => {
      const stall = dispatcherStall();
      if (stall) throw new Error(stall);
    },
    bot: async () => {
      if (!link) throw new Error('not started yet');
      await link.check();
    },
  };
  const health = new HealthMonitor({
    db,
    settings,
    log,
    checks: configuredChecks(config, {
      pingDatabase: () => ping(db),
      dispatcherStall,
      getMe: async () => {
        if (!bot) throw new Error('not started yet');
        return bot.api.getMe();
      },
    }),
  });
  const observer = new Observer({
    db,
    metrics,
    settings,
    backlog: () => inbox.backlog(),
    dataDir: config.DATA_DIR,
    log,
  });
  const alerts = new AlertManager({
    db,
    settings,
    log,
    ...(config.ADMIN_TELEGRAM_IDS.length > 0 ? { notify: alertAdmins } : {}),
  });
  const admin = createAdminServices({
    db,
    plugins,
    settings,
    status,
    readiness,
    emulator,
    observer,
    health,
    alerts,
    security,
    analytics,
    llmMode: !!config.OPENAI_API_KEY,
  });
  if (config.ADMIN_USERNAME && config.ADMIN_PASSWORD) {
    await applyEnvironmentAdmin(
      admin.accounts,
      { username: config.ADMIN_USERNAME, password: config.ADMIN_PASSWORD },
      log,
    );
  }
  const app = await buildWebApp({
    logger: log,
    trustProxy: config.TRUST_PROXY,
    metrics,
    intake,
    webhookSecret,
    securityEvents: security.events,
    ...(options.forgeryWindowMs ? { forgeryWindowMs: options.forgeryWindowMs } : {}),
    emulator,
    unhandledIn: (chatKey) => inbox.pendingIn(chatKey),
    pluginRoute: (name, method, path) => plugins.route(name, method, path),
    isClosing: () => closing,
    healthServices: () => health.latest().filter((result) => !result.critical),
    readiness,
    database: databaseIdentity(database.location),
    admin,
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  const url = loopbackUrl(app, config);

  bot = createTelegramBot({
    token: emulator?.token ?? (config.BOT_TOKEN as string),
    apiRoot: emulator ? `${url}${EMULATOR_PREFIX}` : config.TELEGRAM_API_ROOT,
    throttle: config.throttle,
    timeoutSeconds: apiTimeoutSeconds,
    onRateLimited: (method) => metrics.rateLimited.inc({ method }),
  });
  const conversationEngine = new LocalEngine({
    registry,
    knowledgeFile: path.join(config.DATA_DIR, 'knowledge.md'),
    log,
  });
  const conversationSlot = { hook: localConversation(conversationEngine) };
  bot.use(refuseWhenAbandoned());
  bot.use(processing.journal.middleware());
  bot.use(security.middleware);
  bot.use(
    createPipeline({
      registry,
      userState,
      activity,
      settings,
      events,
      adminIds: new Set(config.ADMIN_TELEGRAM_IDS),
      extensions: plugins.middleware(),
      conversation: () => conversationSlot.hook,
      plugins,
      bans: security.bans,
      analytics,
      status,
    }),
  );
  // LLM mode wraps the default engine, which answers whenever the LLM cannot. It (and the OpenAI
  // client library under it) is loaded only when switched on.
  if (config.OPENAI_API_KEY) {
    const { installLlmMode } = await import('./ai/llm/llm-mode.js');
    conversationSlot.hook = installLlmMode(
      { config, bot, db, userState, settings, registry, log, metrics: metrics.registry },
      conversationSlot.hook,
    );
  }
  link = new TelegramLink({
    bot,
    mode: config.BOT_MODE,
    intake,
    registry,
    adminIds: config.ADMIN_TELEGRAM_IDS,
    ...(config.BOT_MODE === 'webhook'
      ? { webhook: { baseUrl: config.WEBHOOK_URL as string, secret: webhookSecret } }
      : {}),
    // A long poll must end well before the client gives up on the request.
    pollTimeoutSeconds: Math.max(0, Math.min(emulator ? 10 : 25, apiTimeoutSeconds - 5)),
    log,
  });
  const ready = link.connect().then(() => {
    dispatcher.start();
    // The one line a first-time operator reads: where the panel is and, with no real bot, how to talk.
    const panel = `${url}/admin`;
    const chat = emulator ? '; chat with: npx omnicore chat' : '';
    log.info({ mode: config.BOT_MODE, url, panel }, `OMNICore is ready: admin panel at ${panel}${chat}`);
  });
  const stopRetention = startRetention({ db, inbox, securityEvents: security.events, settings, log });
  const watch = new AnomalyWatch({ observer, health, alerts, settings, log });
  watch.start();
  observer.start();
  health.start();

  return {
    config,
    log,
    url,
    app,
    database,
    metrics,
    settings,
    registry,
    plugins,
    analytics,
    emulator,
    observer,
    health,
    alerts,
    security,
    ready,
    conversationEngine,
    get conversation() {
      return conversationSlot.hook;
    },
    set conversation(hook: ConversationHook) {
      conversationSlot.hook = hook;
    },
    async idle() {
      await dispatcher.idle();
      await security.idle();
    },
    async stop() {
      if (closing) return;
      closing = true;
      await stopRetention();
      await observer.stop();
      await health.stop();
      await watch.stop();
      await settingsPolling.stop();
      const unlinking = link?.stop();
      emulator?.close();
      await unlinking;
      const finished = await dispatcher.stop(SHUTDOWN_GRACE_MS);
      if (!finished) log.warn('stopping with handlers still running; their updates resume at the next start');
      await plugins.stop();
      conversationEngine.close();
      await app.close();
      await activity.stop();
      await security.stop();
      await database.close();
      log.info('OMNICore stopped');
    },
  };
}

/** Where a process on this machine reaches the server listening on `host` and `port`. */
export function localServerUrl(host: string, port: number): string {
  const reachable = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/** Where this process can reach its own server (the emulator's Bot API, `omnicore chat`). */
function loopbackUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address();
  return localServerUrl(config.HOST, typeof address === 'object' && address ? address.port : config.PORT);
}
