// Wires the parts together and starts them, in the order the update path needs; nothing else.
// `startPlatform` is what `omnicore start`, `omnicore chat` (in-process) and the tests call.
// Over 400 lines on purpose: the start order is read top to bottom in one function, and the
// teardown list it builds (stop in reverse) depends on that order staying in one place.

import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { applyEnvironmentAdmin } from './admin/environment-admin.js';
import { createTextCompletion } from './ai/completion.js';
import { localConversation } from './ai/local/conversation.js';
import { LocalEngine } from './ai/local/engine.js';
import { createAudience } from './analytics/audience.js';
import { createUsageAnalytics, type UsageAnalytics } from './analytics/report.js';
import { ActivityRecorder } from './bot/activity.js';
import { TelegramEmulator } from './bot/emulator/emulator.js';
import { EMULATOR_PREFIX } from './bot/emulator/routes.js';
import { lastStoredUpdateId } from './bot/inbox.js';
import { createPipeline } from './bot/pipeline.js';
import { installMiddleware } from './bot/runtime.js';
import { createBulkApi, createTelegramBot } from './bot/telegram-bot.js';
import { TelegramLink } from './bot/telegram-link.js';
import { telegramPaymentsApi } from './bot/telegram-payments-api.js';
import { createUpdateProcessing } from './bot/update-processing.js';
import { type Config, secretValues } from './config/env.js';
import { createLogger, type Logger } from './config/logger.js';
import { loadOrCreateSecret } from './config/secrets.js';
import { localServerUrl } from './config/server-url.js';
import { CommandRegistry } from './core/command-registry.js';
import type { ConversationHook } from './core/context.js';
import { EventBus } from './core/events.js';
import { messages } from './core/i18n.js';
import { createMetrics, type PlatformMetrics } from './core/metrics.js';
import { UserStateStore } from './core/user-state.js';
import { AuditLog } from './db/audit-log.js';
import { noChangeSignal, openChangeSignal } from './db/change-signal.js';
import { type DatabaseHandle, openConfiguredDatabase, ping } from './db/database.js';
import { databaseIdentity } from './db/identity.js';
import { newInstanceId } from './db/instance-id.js';
import { listInstances } from './db/instance-listing.js';
import { HEARTBEAT_MS, registerInstance } from './db/instance-registry.js';
import { startLeadership } from './db/leadership.js';
import { migrateToLatest } from './db/migrate.js';
import { SettingsStore } from './db/settings-store.js';
import type { IsLeader } from './lib/leading.js';
import { repeat } from './lib/repeat.js';
import { createTeardown, type Teardown } from './lib/teardown.js';
import type { AlertManager } from './ops/alerts/alert-manager.js';
import { startBackupSchedule } from './ops/backup/backup-schedule.js';
import { Experiments } from './ops/experiments/engine.js';
import { startObserverProposals } from './ops/experiments/observer-proposals.js';
import type { HealthMonitor } from './ops/health/health-monitor.js';
import { startAutoUpdate } from './ops/maintenance/auto-update.js';
import { backupDesk } from './ops/maintenance/backup-desk.js';
import { updateDesk } from './ops/maintenance/update-desk.js';
import { updateSource } from './ops/maintenance/update-source.js';
import type { Observer } from './ops/observer/observer.js';
import { createOperations } from './ops/operations.js';
import { createSecurity, type Security } from './ops/security/security.js';
import { installDirectory } from './ops/update/install-dir.js';
import { takeCrashRecord } from './ops/watchdog/crash-record.js';
import { Payments } from './payments/payments.js';
import { paymentProviders } from './payments/providers/registry.js';
import { type ReconciliationSchedule, scheduleReconciliation } from './payments/reconciliation.js';
import { type PollingSchedule, scheduleStatusPolling } from './payments/status-poller.js';
import { pluginBlobs } from './plugins/blobs/plugin-blobs.js';
import { BUILTIN_PLUGINS_DIR } from './plugins/builtin-dir.js';
import { pluginFiles } from './plugins/files/plugin-files.js';
import { PluginHost } from './plugins/host.js';
import { pluginIntegrations } from './plugins/integrations.js';
import { jobQueues } from './plugins/jobs/queue.js';
import { pluginAlerts } from './plugins/plugin-alert.js';
import { pluginSearch } from './plugins/search/store.js';
import { secretCipher } from './plugins/secrets/cipher.js';
import { pluginSecrets } from './plugins/secrets/store.js';
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
  /** Namespace of the Redis keys and channels (flood counts, rate limits, change signals); tests give each their own. */
  redisKeyPrefix?: string;
  /**
   * How often settings, plugin state and bans are read again from the database (1 s), the fallback
   * when a change signal is lost; tests lengthen it so that only the signal can bring a change in time.
   */
  pollMs?: number;
  /** Where the watchdog leaves word of a stuck or exhausted process (see ops/watchdog). */
  crashRecordFile?: string;
  /** How long forged webhook calls are counted into one security event per address (60 s); tests shorten it. */
  forgeryWindowMs?: number;
  /** Answers plain text instead of the local engine (or the LLM): for tests that need a fixed answer. */
  conversation?: ConversationHook;
  /** When payment reconciliation runs (RECONCILIATION_SCHEDULE); tests move it. */
  reconciliation?: ReconciliationSchedule;
  /** How often open payments' status is asked of their providers (POLLING_SCHEDULE); tests move it. */
  statusPolling?: PollingSchedule;
  /** The updater the panel and /update start (`node dist/cli/main.js update apply`); tests give a stand-in process. */
  updateCommand?: { file: string; args: string[] };
  /** How often the instance's heartbeat is written and a follower tries for leadership (5 s); tests shorten it. */
  heartbeatMs?: number;
  /** How often running experiments are judged (5 s); tests shorten it. */
  experimentCheckMs?: number;
}

export interface Platform {
  readonly config: Config;
  /** This process among the instances sharing the database (see db/instance-id.ts). */
  readonly instanceId: string;
  /** Whether this instance runs the once-per-deployment schedules now (db/leadership.ts). */
  readonly isLeader: IsLeader;
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
  /** The ledger, providers, checkout links, refunds and reconciliation. */
  readonly payments: Payments;
  /** The mutation engine: experiments on mutable settings and plugin variants. */
  readonly experiments: Experiments;
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
/** Settings and plugin state: how often they are read again, should a change signal be lost. */
const POLL_MS = 1000;

export async function startPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  // Whatever the database, DATA_DIR holds secrets, crash records and the disk the observer watches.
  mkdirSync(config.DATA_DIR, { recursive: true });
  const webhookSecret = config.WEBHOOK_SECRET ?? loadOrCreateSecret(config.DATA_DIR, 'webhook-secret');
  const log = options.logger ?? createLogger(config, secretValues(config, [webhookSecret]));
  // Each part registers how it stops right after it starts: stop() runs the list backwards.
  const teardown = createTeardown((step, error) => log.warn({ err: error, step }, 'a part did not stop cleanly'));
  try {
    return await assemble(config, options, { log, webhookSecret, teardown });
  } catch (error) {
    await teardown.run();
    throw error;
  }
}

async function assemble(
  config: Config,
  options: PlatformOptions,
  { log, webhookSecret, teardown }: { log: Logger; webhookSecret: string; teardown: Teardown },
): Promise<Platform> {
  const instanceId = newInstanceId();
  const database = await openConfiguredDatabase(config);
  teardown.add('database', () => database.close());
  const { db } = database;
  await migrateToLatest(database);
  // First of all, so that a second instance on one SQLite file stops before it touches anything.
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const registration = await registerInstance(database, { id: instanceId, version: VERSION, log, heartbeatMs });
  teardown.add('instance registration', () => registration.stop());
  const { isLeader, ...leadership } = await startLeadership(database, { instanceId, everyMs: heartbeatMs, log });
  teardown.add('leadership', () => leadership.stop());

  // Other processes' changes to settings, plugins and bans arrive through it at once (with Redis).
  const signal = config.REDIS_URL
    ? await openChangeSignal({ url: config.REDIS_URL, keyPrefix: options.redisKeyPrefix, log })
    : noChangeSignal;
  teardown.add('change signal', () => signal.close());
  const pollMs = options.pollMs ?? POLL_MS;
  const settings = new SettingsStore(db, signal);
  await settings.refresh();
  const refreshSettings = () => settings.refresh();
  const settingsPolling = repeat(refreshSettings, {
    every: pollMs,
    firstAfterMs: pollMs,
    onError: (error) => log.warn({ err: error }, 'settings refresh failed'),
  });
  const stopFollowingSettings = signal.subscribe('settings', () => {
    refreshSettings().catch((error: unknown) => log.warn({ err: error }, 'settings refresh failed'));
  });
  teardown.add('settings', () => {
    stopFollowingSettings();
    return settingsPolling.stop();
  });

  const metrics = createMetrics(instanceId);
  // The emulator keeps no state of its own: it numbers on from what the inbox holds.
  const emulator =
    config.BOT_MODE === 'emulator'
      ? new TelegramEmulator({ firstUpdateId: (await lastStoredUpdateId(db)) + 1 })
      : undefined;
  const apiTimeoutSeconds = options.apiTimeoutSeconds ?? 60;
  // The bot comes first: everything that talks to Telegram holds it. Until it has reached the Bot
  // API, updates are stored and wait (the dispatcher starts paused).
  const apiRoot = emulator ? () => `${loopbackUrl(app, config)}${EMULATOR_PREFIX}` : config.TELEGRAM_API_ROOT;
  const botOptions = {
    token: emulator?.token ?? (config.BOT_TOKEN as string),
    apiRoot,
    throttle: config.throttle,
    timeoutSeconds: apiTimeoutSeconds,
    onRateLimited: (method: string) => metrics.rateLimited.inc({ method }),
  };
  const bot = createTelegramBot(botOptions);
  // Every admin is tried; only when none could be reached does the alert count as not sent.
  const alertAdmins = async (text: string): Promise<void> => {
    const sent = await Promise.allSettled(
      config.ADMIN_TELEGRAM_IDS.map((adminId) => bot.api.sendMessage(adminId, text)),
    );
    const failed = sent.filter((result) => result.status === 'rejected');
    if (failed.length > 0 && failed.length === sent.length) throw failed[0]?.reason;
  };

  const security = await createSecurity({
    db,
    settings,
    metrics,
    log,
    adminIds: config.ADMIN_TELEGRAM_IDS,
    redisUrl: config.REDIS_URL,
    ...(options.redisKeyPrefix ? { keyPrefix: options.redisKeyPrefix } : {}),
    signal,
    ...(options.pollMs ? { banPollMs: options.pollMs } : {}),
    notify: async (chatId, text) => {
      await bot.api.sendMessage(chatId, text);
    },
    // Called only once updates arrive, by when the dispatcher below exists.
    dropWaiting: (matches, reason) => processing.dispatcher.drop((entry) => matches(entry.update), reason),
  });
  teardown.add('security', () => security.stop());
  const registry = new CommandRegistry();
  const events = new EventBus();
  const userState = new UserStateStore(db);
  const activity = new ActivityRecorder(database.bookkeeping, {
    flushMs: 1000,
    maxBuffered: 1000,
    onError: (error) => log.error({ err: error }, 'could not record activity'),
  });
  activity.start();
  teardown.add('activity', () => activity.stop());
  const analytics = createUsageAnalytics(db, () => registry.list({ includeAdmin: true }));
  const payments = new Payments({
    db,
    events,
    telegram: telegramPaymentsApi(bot.api),
    ...(config.TELEGRAM_PAYMENT_PROVIDER_TOKEN ? { providerToken: config.TELEGRAM_PAYMENT_PROVIDER_TOKEN } : {}),
    providers: paymentProviders(config, { botUsername: () => (bot.isInited() ? bot.botInfo.username : undefined) }),
  });
  const startedAt = Date.now();

  const processing = createUpdateProcessing({
    db,
    bookkeeping: database.bookkeeping,
    settings,
    metrics,
    log,
    concurrency: options.concurrency ?? 64,
    retryBaseMs: options.retryBaseMs ?? 1000,
    runNow: database.runNow,
    instances:
      database.listen && database.upkeep
        ? { owner: instanceId, listen: database.listen, upkeep: database.upkeep }
        : undefined,
    admit: security.admit,
    handleUpdate: (update) => bot.handleUpdate(update),
    apologise: async (chatId) => {
      await bot.api.sendMessage(chatId, messages[settings.get('bot.defaultLanguage')].handlerFailed);
    },
    // Called only once updates run, by when the plugins below are loaded.
    chargePlugin: (name, error) => {
      plugins
        .charge(name, error)
        .catch((chargeError: unknown) => log.warn({ err: chargeError }, 'could not charge the plugin'));
    },
  });
  const { inbox, dispatcher, intake } = processing;
  teardown.add('call journal', () => processing.journal.close());
  // Resume before intake opens, so no update is both resumed and received anew.
  await processing.resume();
  // Runs after the dispatcher stopped (teardown goes backwards): chats go to other instances at once.
  const { leases } = processing;
  if (leases) teardown.add('chat leases', () => leases.stop());

  // Half a deadline without progress is already more than any healthy moment shows.
  const dispatcherStall = (): string | undefined =>
    dispatcher.stall(Math.min(10_000, (settings.get('inbox.deadlineSeconds') * 1000) / 2));
  // Before the plugins, whose alerts (ctx.alert) it raises.
  const { health, observer, alerts, ...operations } = createOperations({
    config,
    db,
    settings,
    metrics,
    log,
    checks: { pingDatabase: () => ping(db), dispatcherStall, getMe: () => bot.api.getMe() },
    backlog: () => inbox.backlog(),
    inbox,
    securityEvents: security.events,
    notify: config.ADMIN_TELEGRAM_IDS.length > 0 ? alertAdmins : undefined,
    isLeader,
    instanceId,
  });
  // Before the plugins, which declare variants and propose experiments; it judges on the leader only.
  const experiments = new Experiments({
    db,
    bookkeeping: database.bookkeeping,
    settings,
    signal,
    log,
    isLeader,
    pollMs,
    ...(options.experimentCheckMs ? { checkMs: options.experimentCheckMs } : {}),
    alert: async (subject, message) => {
      await alerts.raise({ kind: 'experiment', subject, message });
    },
  });
  await experiments.start();
  teardown.add('experiments', () => experiments.stop());
  // Never rejects: a write that fails is logged where it is made (ops/experiments/serving.ts).
  events.on('paymentSucceeded', ({ payment }) => void experiments.converted(payment.userId, 'purchase'));
  const proposals = startObserverProposals({
    experiments,
    history: (name, from, to) => observer.history(name, from, to, '1m'),
    isLeader,
    log,
  });
  teardown.add('observer proposals', () => proposals.stop());
  const secretsCipher = secretCipher(config.DATA_DIR);
  const jobs = jobQueues({ db, log, attempts: metrics.pluginJobAttempts });
  const plugins = new PluginHost({
    store: new PluginStore(db, signal),
    events,
    metrics: metrics.registry,
    storageFor: (name) => pluginStorage(db, name),
    searchFor: (name) => pluginSearch(db, name),
    analytics,
    ai: createTextCompletion(config),
    registry,
    log,
    platformVersion: VERSION,
    dirs: [BUILTIN_PLUGINS_DIR, config.PLUGINS_DIR],
    alert: alertAdmins,
    abandon: (name) => dispatcher.abandonPlugin(name, ABANDON_GRACE_MS),
    payments,
    api: bot.api,
    bulkApi: createBulkApi(botOptions),
    audience: createAudience(db),
    ...(config.REDIS_URL
      ? { redis: { url: config.REDIS_URL, keyPrefix: `${options.redisKeyPrefix ?? 'omnicore'}:` } }
      : {}),
    audit: new AuditLog(db),
    blobsFor: (name) => pluginBlobs(db, name),
    files: pluginFiles({ api: bot.api, apiRoot }),
    secretsFor: (name) => pluginSecrets(db, secretsCipher, name),
    integrations: pluginIntegrations(config),
    experiments,
    pluginAlert: pluginAlerts((candidate) => alerts.raise(candidate)),
    jobsFor: jobs.jobsFor,
    runJobs: jobs.run,
    isLeader,
  });
  await plugins.load();
  plugins.watch(pollMs);
  const stopFollowingPlugins = signal.subscribe('plugins', () => {
    plugins.sync().catch((error: unknown) => log.warn({ err: error }, 'plugin state refresh failed'));
  });
  teardown.add('plugins', () => {
    stopFollowingPlugins();
    return plugins.stop();
  });
  // Before any update runs again: the plugin that took the last run down is switched off first.
  const crash = options.crashRecordFile ? takeCrashRecord(options.crashRecordFile) : undefined;
  if (crash) {
    const plugin = await plugins.chargeCrash(crash.frames, crash.detail);
    log.error({ plugin, frames: crash.frames.slice(0, 5) }, `the last run stopped: ${crash.detail}`);
  }

  const conversationEngine = new LocalEngine({
    registry,
    dataDir: config.DATA_DIR,
    cacheDir: config.CACHE_DIR,
    log,
  });
  teardown.add('conversation engine', () => conversationEngine.close());
  // LLM mode wraps the local engine, which answers whenever the LLM cannot. It (and the OpenAI
  // client library under it) is loaded only when switched on.
  const llm = config.OPENAI_API_KEY
    ? (await import('./ai/llm/llm-mode.js')).createLlmMode({
        config,
        commands: () => pipeline.middleware(),
        db,
        userState,
        settings,
        registry,
        log,
        metrics: metrics.registry,
      })
    : undefined;
  const local = localConversation(conversationEngine, metrics.conversationAnswers);
  const conversation = options.conversation ?? llm?.conversation(local) ?? local;
  const status = {
    version: VERSION,
    mode: config.BOT_MODE,
    database: database.kind,
    startedAt,
    backlog: () => inbox.backlog(),
    conflicts: () => intake.conflicts(),
  };
  const backupsDesk = backupDesk({ config, passphrase: config.BACKUP_PASSPHRASE, database, settings });
  const updates = updateDesk({
    installDir: installDirectory(),
    dataDir: config.DATA_DIR,
    source: updateSource(config),
    database,
    audit: new AuditLog(db),
    command: options.updateCommand,
  });
  const pipeline = createPipeline({
    registry,
    userState,
    activity,
    settings,
    events,
    adminIds: new Set(config.ADMIN_TELEGRAM_IDS),
    extensions: plugins.middleware(),
    conversation,
    experiments,
    plugins,
    bans: security.bans,
    analytics,
    status,
    payments,
    updates,
  });
  installMiddleware(bot, {
    journal: processing.journal.middleware(),
    security: security.middleware,
    pipeline,
    afterPipeline: llm ? [llm.middleware] : [],
  });

  let closing = false;
  const link = new TelegramLink({
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
    isLeader,
    log,
  });
  const readiness = {
    database: () => ping(db),
    dispatcher: async () => {
      const stall = dispatcherStall();
      if (stall) throw new Error(stall);
    },
    bot: () => link.check(),
  };
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
    payments,
    backups: backupsDesk,
    updates,
    instances: () => listInstances(database),
    experiments,
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
    payments,
    ...(options.forgeryWindowMs ? { forgeryWindowMs: options.forgeryWindowMs } : {}),
    emulator,
    unhandledIn: (chatKey) => inbox.pendingIn(chatKey),
    pluginRoute: (name, method, path) => plugins.route(name, method, path),
    isClosing: () => closing,
    healthServices: () => health.latest().filter((result) => !result.critical),
    readiness,
    database: databaseIdentity(database.location),
    instance: instanceId,
    admin,
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  // The emulator's waiting long polls and chat streams end first, or closing would wait for them.
  teardown.add('web server', async () => {
    emulator?.close();
    await app.close();
  });
  const url = loopbackUrl(app, config);
  await registration.setUrl(url);

  const ready = link.connect().then(() => {
    dispatcher.start();
    // The one line a first-time operator reads: where the panel is and, with no real bot, how to talk.
    const panel = `${url}/admin`;
    const chat = emulator ? '; chat with: npx omnicore chat' : '';
    log.info({ mode: config.BOT_MODE, url, panel }, `OMNICore is ready: admin panel at ${panel}${chat}`);
  });
  // Handlers still running get a grace period; the server stays up meanwhile (the emulator's Bot
  // API lives on it), and what is not done by then resumes at the next start.
  teardown.add('dispatcher', async () => {
    if (!(await dispatcher.stop(SHUTDOWN_GRACE_MS))) {
      log.warn('stopping with handlers still running; their updates resume at the next start');
    }
  });
  teardown.add('telegram link', () => {
    closing = true;
    return link.stop();
  });
  operations.start(teardown);
  const backups = startBackupSchedule({
    config,
    passphrase: config.BACKUP_PASSPHRASE,
    database,
    settings,
    log,
    alert: (candidate) => alerts.raise(candidate),
    isLeader,
  });
  teardown.add('scheduled backups', () => backups.stop());
  const autoUpdate = startAutoUpdate({ settings, updates, log, isLeader });
  teardown.add('scheduled updates', () => autoUpdate.stop());
  const reconciliation = scheduleReconciliation(payments, log, options.reconciliation, isLeader);
  if (reconciliation) teardown.add('payment reconciliation', () => reconciliation.stop());
  for (const poller of scheduleStatusPolling(payments, log, options.statusPolling, isLeader)) {
    teardown.add('payment status poller', () => poller.stop());
  }
  let stopping: Promise<void> | undefined;

  return {
    config,
    instanceId,
    isLeader,
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
    payments,
    experiments,
    ready,
    conversationEngine,
    async idle() {
      // A handled update can leave a claim behind it (a refused start fetches the chat again).
      do await dispatcher.idle();
      while (await leases?.settled());
      await security.idle();
    },
    stop: () => {
      stopping ??= teardown.run().then(() => log.info('OMNICore stopped'));
      return stopping;
    },
  };
}

/** Where this process can reach its own server (the emulator's Bot API, `omnicore chat`). */
function loopbackUrl(app: FastifyInstance, config: Config): string {
  const address = app.server.address();
  return localServerUrl(config.HOST, typeof address === 'object' && address ? address.port : config.PORT);
}
