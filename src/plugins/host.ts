// Runs plugins: what main.ts, the web app and the CLI hold. The work is done by its parts, wired
// together here: registration.ts (discovery and refusals), state-sync.ts (following the `plugins`
// table), lifecycle.ts (setup, switching on and off in dependency order), plugin-context.ts (what
// setup receives), services.ts, boundary.ts (error boundary and breaker), chain.ts (the middleware),
// arrivals.ts (new folders, reloads) and route-table.ts.
import type { Api, Middleware } from 'grammy';
import type { Registry } from 'prom-client';
import type { Logger } from '../config/logger.js';
import type { CommandRegistry } from '../core/command-registry.js';
import type { BotContext } from '../core/context.js';
import type { EventBus } from '../core/events.js';
import type { ExperimentsDesk } from '../core/experiments.js';
import type { AuditLog } from '../db/audit-log.js';
import { OmniError } from '../errors.js';
import type { Payments } from '../payments/payments.js';
import type { AdminContributions } from './admin-pages.js';
import type { PluginAi, PluginAnalytics, PluginDefinition, PluginSearch, PluginStorage, RouteHandler } from './api.js';
import type { CliVerb, PluginBlobs, PluginFiles } from './api-content.js';
import type { PluginIntegrations, PluginJobs, PluginSecrets } from './api-jobs.js';
import { Arrivals } from './arrivals.js';
import { Boundary } from './boundary.js';
import { PluginChain } from './chain.js';
import { Lifecycle, type LifecycleOptions } from './lifecycle.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import type { ContextDeps } from './plugin-context.js';
import { PluginSet, type PluginStatus } from './plugin-set.js';
import { Registration } from './registration.js';
import { StateSync } from './state-sync.js';
import type { PluginStore } from './store.js';

export type { PluginStatus } from './plugin-set.js';

export interface PluginHostOptions {
  store: PluginStore;
  registry: CommandRegistry;
  log: Logger;
  platformVersion: string;
  /** Folders scanned for plugins, in order: the built-in ones first, then the operator's. */
  dirs: readonly string[];
  /** Tells the bot's admins (a plugin was switched off by the breaker). */
  alert: (text: string) => Promise<void>;
  /** Raises a plugin's own alert (ctx.alert); absent, ctx.alert throws OMNI_UNAVAILABLE. */
  pluginAlert?: (plugin: string, subject: string, message: string) => Promise<void>;
  /** Failures within `windowMs` that switch a plugin off. */
  breaker?: { failures: number; windowMs: number };
  /** Load and describe plugins without running any (the CLI's listing). */
  inspectOnly?: boolean;
  events: EventBus;
  metrics: Registry;
  storageFor: (plugin: string) => PluginStorage;
  /** The plugin's search index (ctx.search); absent, ctx.search throws OMNI_UNAVAILABLE. */
  searchFor?: (plugin: string) => PluginSearch;
  analytics: PluginAnalytics;
  /** The language model, when one is configured. */
  ai?: PluginAi;
  /** Gives up on the updates a plugin is handling now (it was switched off). */
  abandon?: (plugin: string) => void;
  /** How long a plugin's setup() may take before the plugin is refused (PLUGIN_SETUP_TIMEOUT). */
  setupTimeoutMs?: number;
  /** What plugins sell through (ctx.payments); absent in the CLI's listing. */
  payments?: Payments;
  /** The bot's Bot API, for plugins' messages outside updates (ctx.api); absent in the CLI's listing. */
  api?: Api;
  /** The Bot API without auto-retry and throttle (ctx.bulkApi); absent in the CLI's listing. */
  bulkApi?: ContextDeps['bulkApi'];
  /** Users by audience segment (ctx.audience). */
  audience?: ContextDeps['audience'];
  /** The deployment's Redis (ctx.redis), when REDIS_URL is set. */
  redis?: ContextDeps['redis'];
  /** The panel's audit log, which ctx.audit writes to. */
  audit?: AuditLog;
  /** Each plugin's compressed, deduplicated bytes (ctx.blobs). */
  blobsFor?: (plugin: string) => PluginBlobs;
  /** Downloads of the files users send (ctx.files); absent where no bot runs. */
  files?: PluginFiles;
  /** Each plugin's encrypted secrets (ctx.secrets). */
  secretsFor?: (plugin: string) => PluginSecrets;
  /** The outside services configured by environment (ctx.integrations). */
  integrations?: PluginIntegrations;
  /** The mutation engine (ctx.experiments). */
  experiments?: ExperimentsDesk;
  /** Each plugin's job queue (ctx.jobs); absent, ctx.jobs throws OMNI_UNAVAILABLE. */
  jobsFor?: (plugin: LoadedPlugin, settingUp: () => boolean) => PluginJobs;
  /** Runs a plugin's jobs while it is on; absent where none run (the CLI, which may still queue them). */
  runJobs?: LifecycleOptions['runJobs'];
  /** Plugins' cron schedules fire only while this says so (db/leadership.ts); absent, always. */
  isLeader?: LifecycleOptions['isLeader'];
}

export interface MatchedRoute {
  handler: RouteHandler;
  params: Record<string, string>;
}

export class PluginHost {
  private readonly plugins: PluginSet;
  private readonly boundary: Boundary;
  private readonly chain: PluginChain;
  private readonly lifecycle: Lifecycle;
  private readonly registration: Registration;
  private readonly state: StateSync;

  constructor(private readonly options: PluginHostOptions) {
    const plugins = new PluginSet(options.store, options.log);
    this.plugins = plugins;
    const boundary = new Boundary({ ...options, plugins, stop: (plugin): Promise<void> => lifecycle.stop(plugin) });
    this.boundary = boundary;
    const guard = boundary.guard.bind(boundary);
    this.chain = new PluginChain((plugin, error, ctx) => boundary.failed(plugin, error, ctx));
    // Not the breaker's `alert`, which tells the admins in a text of its own.
    const lifecycle: Lifecycle = new Lifecycle({
      ...options,
      alert: options.pluginAlert,
      plugins,
      chain: this.chain,
      guard,
    });
    this.lifecycle = lifecycle;
    const registration = new Registration({ ...options, plugins, lifecycle });
    this.registration = registration;
    const arrivals = new Arrivals({ ...options, plugins, registration, lifecycle });
    this.state = new StateSync({
      ...options,
      plugins,
      lifecycle,
      guard,
      adoptNewFolders: () => arrivals.adoptNewFolders(),
      reload: (plugin, generation) => arrivals.reload(plugin, generation),
    });
  }

  /** Loads every plugin on disk and switches on those the table says are on. */
  async load(): Promise<void> {
    await this.plugins.readRows();
    await this.registration.adopt(() => true);
    await this.sync();
  }

  /** Middleware running each active plugin's handlers in order, each inside its error boundary. */
  middleware(): Middleware<BotContext> {
    return this.chain.middleware();
  }

  list(): PluginStatus[] {
    return this.plugins.statuses();
  }

  /** Switches a plugin on or off, here and (through the table) everywhere else. */
  async setEnabled(name: string, enabled: boolean): Promise<void> {
    const plugin = this.plugins.loaded(name);
    plugin.refusal = undefined;
    await this.options.store.setEnabled(name, enabled);
    await this.sync();
    if (enabled && !plugin.active) {
      throw (
        plugin.refusal ??
        new OmniError('PLUGIN_DEPENDENCY_DISABLED', `${name} needs ${plugin.definition.dependsOn?.join(', ')}`)
      );
    }
  }

  /** Validates and stores a plugin's configuration; running instances pick it up at their next sync. */
  async configure(name: string, config: unknown): Promise<void> {
    await this.options.store.setConfig(name, validConfig(this.plugins.loaded(name), config));
    await this.sync();
  }

  /**
   * A plugin's verbs of the `omnicore` command (the CLI runs them on or off), with its stored
   * configuration in place for them to read; undefined for a plugin that is not loaded (unknown or refused).
   */
  verbs(name: string): ReadonlyMap<string, CliVerb> | undefined {
    const plugin = this.plugins.get(name);
    if (!plugin) return undefined;
    const row = this.plugins.row(name);
    if (row) plugin.config = validConfig(plugin, JSON.parse(row.config));
    return plugin.verbs;
  }

  /** The plugin's config schema and the configuration it runs with, for forms that edit it. */
  configuration(name: string): { schema: PluginDefinition['configSchema']; value: unknown } {
    const plugin = this.plugins.loaded(name);
    return { schema: plugin.definition.configSchema, value: plugin.config };
  }

  /** Reads the table and brings every plugin in line with it; one pass at a time. */
  sync(): Promise<void> {
    return this.state.sync();
  }

  /** Follows changes other processes make to the table, within `pollMs`. */
  watch(pollMs: number): void {
    this.state.watch(pollMs);
  }

  async stop(): Promise<void> {
    await this.state.stop();
    const stopped = await this.lifecycle.stopAll();
    // They stay enabled (the table is untouched): one line, not a "disabled" per plugin.
    this.options.log.info({ plugins: stopped }, 'plugins stopped');
  }

  /**
   * The handler of an active plugin's route for this method and raw (still percent-encoded) path,
   * with its :params decoded; throws OMNI_BAD_REQUEST on a malformed percent-encoding.
   */
  route(plugin: string, method: string, path: string): MatchedRoute | undefined {
    const loaded = this.plugins.get(plugin);
    return loaded?.active ? loaded.routes.find(method, path) : undefined;
  }

  /** The admin panel parts of the plugins running now, in dependency order (see admin-pages.ts). */
  adminContributions(): AdminContributions[] {
    return this.plugins
      .ordered()
      .filter((plugin) => plugin.active)
      .map((plugin) => plugin.admin);
  }

  /** Charges a failure found outside a handler (an overrun deadline) to a plugin, breaker included. */
  charge(name: string, error: unknown): Promise<void> {
    return this.boundary.charge(name, error);
  }

  /** Charges an error nobody caught to the plugin its stack passes through; that plugin's name. */
  chargeUncaught(error: unknown): Promise<string | undefined> {
    return this.boundary.chargeUncaught(error);
  }

  /** Switches off at once the plugin whose code ran when the process had to be stopped; its name. */
  chargeCrash(frames: readonly string[], what: string): Promise<string | undefined> {
    return this.boundary.chargeCrash(frames, what);
  }
}

/** `config` as the plugin's schema parses it; PLUGIN_INVALID_CONFIG naming the first bad field. */
function validConfig(plugin: LoadedPlugin, config: unknown): unknown {
  const parsed = plugin.definition.configSchema?.safeParse(config);
  if (!parsed) return config;
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new OmniError(
    'PLUGIN_INVALID_CONFIG',
    `${plugin.definition.name}: ${issue?.path.join('.') || 'config'}: ${issue?.message}`,
  );
}
