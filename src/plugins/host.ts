// Runs plugins: loads them from disk, refuses the ones that can't run (with a stable code), sets up
// the rest in dependency order, and switches them on and off while the bot runs as the `plugins`
// table says (whoever changed it: this process, the CLI, another instance). Each plugin's handlers
// run inside an error boundary; a plugin that keeps failing is switched off by a circuit breaker.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Cron } from 'croner';
import { Composer, type Middleware, type MiddlewareFn } from 'grammy';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from '../config/logger.js';
import { type CommandRegistry, CommandTakenError } from '../core/command-registry.js';
import type { BotContext } from '../core/context.js';
import type { EventBus, PlatformEventName } from '../core/events.js';
import { handlingOf } from '../core/handling.js';
import { type ErrorCode, OmniError } from '../errors.js';
import { withinDeadline } from '../lib/deadline.js';
import type {
  CommandHandler,
  PluginAi,
  PluginAnalytics,
  PluginContext,
  PluginDefinition,
  PluginStorage,
  RouteHandler,
} from './api.js';
import { discoverPlugins } from './loader.js';
import { checkPlatform } from './manifest.js';
import { dependencyOrder } from './order.js';
import { pluginFolders } from './plugin-folders.js';
import { RouteTable } from './route-table.js';
import type { PluginRow, PluginStore } from './store.js';

export interface PluginHostOptions {
  store: PluginStore;
  registry: CommandRegistry;
  log: Logger;
  platformVersion: string;
  /** Folders scanned for plugins, in order: the built-in ones first, then the operator's. */
  dirs: readonly string[];
  /** Tells the bot's admins (a plugin was switched off by the breaker). */
  alert: (text: string) => Promise<void>;
  /** Failures within `windowMs` that switch a plugin off. */
  breaker?: { failures: number; windowMs: number };
  /** Load and describe plugins without running any (the CLI's listing). */
  inspectOnly?: boolean;
  events: EventBus;
  metrics: Registry;
  storageFor: (plugin: string) => PluginStorage;
  analytics: PluginAnalytics;
  /** The language model, when one is configured. */
  ai?: PluginAi;
  /** Gives up on the updates a plugin is handling now (it was switched off). */
  abandon?: (plugin: string) => void;
  /** How long a plugin's setup() may take before the plugin is refused (PLUGIN_SETUP_TIMEOUT). */
  setupTimeoutMs?: number;
}

export interface MatchedRoute {
  handler: RouteHandler;
  params: Record<string, string>;
}

export interface PluginStatus {
  name: string;
  version: string;
  description: string;
  enabled: boolean;
  /** Running now: enabled, and nothing refused it. */
  active: boolean;
  commands: { command: string; description: string; adminOnly: boolean }[];
  errorCount: number;
  lastError: string | null;
  /** Why the plugin cannot run, when it cannot. */
  refused?: { code: ErrorCode; message: string };
}

interface PluginCommand {
  command: string;
  description: string;
  adminOnly: boolean;
  sideEffects: boolean;
  handler: CommandHandler;
}

interface LoadedPlugin {
  readonly definition: PluginDefinition;
  /** The folder it was loaded from: errors whose stack passes through it are its own. */
  readonly dir: string;
  readonly composer: Composer<BotContext>;
  readonly commands: PluginCommand[];
  readonly hooks: { enable: (() => unknown)[]; disable: (() => unknown)[]; config: ((config: unknown) => unknown)[] };
  readonly schedules: { pattern: string; task: () => Promise<void>; job?: Cron }[];
  readonly routes: RouteTable;
  readonly listeners: { event: PlatformEventName; listener: (...args: never[]) => unknown }[];
  config: unknown;
  active: boolean;
  failures: number[];
  /** Why the last attempt to switch it on failed (a command taken). */
  refusal?: OmniError;
  /** The `code_generation` this code was loaded at. */
  generation: number;
  /** Its error bookkeeping, one write at a time (see `inOrder`). */
  writes: Promise<void>;
}

const DEFAULT_BREAKER = { failures: 5, windowMs: 60_000 };
/** A setup only declares things; one still busy after this is stuck, and would stall the start. */
const DEFAULT_SETUP_TIMEOUT_MS = 10_000;

export class PluginHost {
  private plugins = new Map<string, LoadedPlugin>();
  private readonly refused: { name: string; version: string; description: string; error: OmniError }[] = [];
  private order: string[] = [];
  private rows = new Map<string, PluginRow>();
  private timer: NodeJS.Timeout | undefined;
  private applying: Promise<void> = Promise.resolve();
  private imports = 0;
  /** Plugin folders looked at (loaded or refused), and new ones seen on the last look with their signature. */
  private readonly folders = new Set<string>();
  private arriving = new Map<string, string>();
  /** The active plugins in dependency order, each behind grammY's error boundary: what every update
   *  runs through. Rebuilt when a plugin goes on or off, not per update. */
  private chain = new Composer<BotContext>();

  constructor(private readonly options: PluginHostOptions) {}

  /** Loads every plugin on disk and switches on those the table says are on. */
  async load(): Promise<void> {
    this.rows = new Map((await this.options.store.all()).map((row) => [row.name, row]));
    await this.adopt(() => true);
    await this.sync();
  }

  /**
   * Loads the plugin folders `wanted` picks: at start all of them, later the ones that appeared
   * since. Plugins already loaded count as present for the new ones' dependencies.
   */
  private async adopt(wanted: (dir: string) => boolean): Promise<void> {
    const { found, problems, linked } = await discoverPlugins(this.options.dirs, ++this.imports, wanted);
    for (const { dir } of [...found, ...problems]) this.folders.add(dir);
    for (const { dir, target } of linked)
      this.options.log.info({ dir, target }, `plugin folder ${dir} is a symlink to ${target}`);
    for (const problem of problems) this.refuse(problem.name, '', '', problem.error);
    const existing = [...this.plugins.values()].map((plugin) => plugin.definition);
    const unique: PluginDefinition[] = [];
    for (const { definition, dir } of found) {
      if ([...existing, ...unique].some((other) => other.name === definition.name)) {
        this.refuse(
          definition.name,
          definition.version,
          definition.description,
          new OmniError('PLUGIN_DUPLICATE_NAME', `${definition.name} in ${dir}`),
        );
        continue;
      }
      try {
        checkPlatform(definition, this.options.platformVersion);
        unique.push(definition);
      } catch (error) {
        this.refuse(definition.name, definition.version, definition.description, error as OmniError);
      }
    }
    const { order, refused } = dependencyOrder([...existing, ...unique]);
    for (const { item, code, detail } of refused)
      this.refuse(item.name, item.version, item.description, new OmniError(code, detail));
    const dirOf = new Map(found.map(({ definition, dir }) => [definition, dir]));
    for (const definition of order) {
      if (existing.includes(definition)) continue;
      try {
        this.plugins.set(definition.name, await this.setUp(definition, dirOf.get(definition) as string));
        this.order.push(definition.name);
        await this.options.store.register(definition.name, definition.version);
      } catch (error) {
        const omni =
          error instanceof OmniError
            ? error
            : new OmniError('PLUGIN_SETUP_FAILED', `${definition.name}: ${(error as Error).message}`);
        this.refuse(definition.name, definition.version, definition.description, omni);
      }
    }
  }

  /**
   * Loads plugin folders copied in while the bot runs. A folder is taken once it looked the same on
   * two looks in a row, so that one still being copied is not refused for a missing entry file.
   */
  private async adoptNewFolders(): Promise<void> {
    const fresh = new Map<string, string>();
    for (const root of this.options.dirs) {
      if (!existsSync(root)) continue;
      for (const { dir } of pluginFolders(root)) if (!this.folders.has(dir)) fresh.set(dir, folderSignature(dir));
    }
    const settled = [...fresh].filter(([dir, signature]) => this.arriving.get(dir) === signature).map(([dir]) => dir);
    this.arriving = fresh;
    if (settled.length === 0) return;
    const before = new Set(this.plugins.keys());
    await this.adopt((dir) => settled.includes(dir));
    for (const name of this.plugins.keys())
      if (!before.has(name)) this.options.log.info({ plugin: name }, 'plugin folder found while running');
  }

  /** Middleware running each active plugin's handlers in order, each inside its error boundary. */
  middleware(): Middleware<BotContext> {
    return (ctx, next) => this.chain.middleware()(ctx, next);
  }

  list(): PluginStatus[] {
    const statuses: PluginStatus[] = [];
    for (const name of this.order) {
      const plugin = this.plugins.get(name) as LoadedPlugin;
      const row = this.rows.get(name);
      statuses.push({
        name,
        version: plugin.definition.version,
        description: plugin.definition.description,
        enabled: row?.enabled === 1,
        active: plugin.active,
        commands: plugin.commands.map(({ command, description, adminOnly }) => ({ command, description, adminOnly })),
        errorCount: row?.error_count ?? 0,
        lastError: row?.last_error ?? null,
      });
    }
    for (const { name, version, description, error } of this.refused) {
      statuses.push({
        name,
        version,
        description,
        enabled: false,
        active: false,
        commands: [],
        errorCount: 0,
        lastError: error.message,
        refused: { code: error.code, message: error.message },
      });
    }
    return statuses;
  }

  /** Switches a plugin on or off, here and (through the table) everywhere else. */
  async setEnabled(name: string, enabled: boolean): Promise<void> {
    const plugin = this.loaded(name);
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
    const plugin = this.loaded(name);
    const parsed = plugin.definition.configSchema?.safeParse(config);
    if (parsed && !parsed.success) {
      const issue = parsed.error.issues[0];
      throw new OmniError('PLUGIN_INVALID_CONFIG', `${name}: ${issue?.path.join('.') || 'config'}: ${issue?.message}`);
    }
    await this.options.store.setConfig(name, parsed ? parsed.data : config);
    await this.sync();
  }

  /** The plugin's config schema and the configuration it runs with, for forms that edit it. */
  configuration(name: string): { schema: PluginDefinition['configSchema']; value: unknown } {
    const plugin = this.loaded(name);
    return { schema: plugin.definition.configSchema, value: plugin.config };
  }

  private loaded(name: string): LoadedPlugin {
    const plugin = this.plugins.get(name);
    if (!plugin)
      throw this.refused.find((entry) => entry.name === name)?.error ?? new OmniError('PLUGIN_NOT_FOUND', name);
    return plugin;
  }

  /** Follows changes other processes make to the table, within `pollMs`. */
  watch(pollMs: number): void {
    this.timer = setInterval(() => {
      this.sync().catch((error) => this.options.log.warn({ err: error }, 'plugin state refresh failed'));
    }, pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.applying.catch(() => {});
    const stopped: string[] = [];
    for (const name of [...this.order].reverse()) {
      const plugin = this.plugins.get(name) as LoadedPlugin;
      if (!plugin.active) continue;
      await this.deactivate(plugin, 'shutdown');
      stopped.push(name);
    }
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

  /** Reads the table and brings every plugin in line with it; one pass at a time. */
  sync(): Promise<void> {
    // A failed pass must not stop the ones after it, so each starts from a settled previous one.
    this.applying = this.applying
      .catch(() => {})
      .then(async () => {
        if (!this.options.inspectOnly) await this.adoptNewFolders();
        this.rows = new Map((await this.options.store.all()).map((row) => [row.name, row]));
        if (this.options.inspectOnly) return;
        for (const name of this.order) await this.applyRow(this.plugins.get(name) as LoadedPlugin);
        for (const name of [...this.order].reverse()) {
          const plugin = this.plugins.get(name) as LoadedPlugin;
          if (plugin.active && !this.canRun(plugin)) await this.deactivate(plugin);
        }
      });
    return this.applying;
  }

  private async applyRow(loaded: LoadedPlugin): Promise<void> {
    const row = this.rows.get(loaded.definition.name);
    if (!row) return;
    const plugin = row.code_generation > loaded.generation ? await this.reload(loaded, row.code_generation) : loaded;
    const config = await this.updateConfig(plugin, row);
    if (row.enabled === 1 && !plugin.active && config.valid && this.dependenciesActive(plugin))
      await this.activate(plugin);
    else if (row.enabled !== 1 && plugin.active) await this.deactivate(plugin);
    else if (config.changed && plugin.active) {
      for (const hook of plugin.hooks.config) await this.guard(plugin, () => hook(plugin.config));
    }
  }

  private canRun(plugin: LoadedPlugin): boolean {
    return this.rows.get(plugin.definition.name)?.enabled === 1 && this.dependenciesActive(plugin);
  }

  private dependenciesActive(plugin: LoadedPlugin): boolean {
    return (plugin.definition.dependsOn ?? []).every((name) => this.plugins.get(name)?.active);
  }

  /** Validates the stored config; an invalid one leaves the last good one in force and says why. */
  /**
   * Validates the stored config. A running plugin keeps its last good one when the stored one is
   * invalid; a plugin not yet running is refused (PLUGIN_INVALID_CONFIG, naming the field).
   * Either way the reason is recorded as its last error.
   */
  private async updateConfig(plugin: LoadedPlugin, row: PluginRow): Promise<{ changed: boolean; valid: boolean }> {
    const schema = plugin.definition.configSchema;
    if (!schema) return { changed: false, valid: true };
    const parsed = schema.safeParse(JSON.parse(row.config));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const error = new OmniError(
        'PLUGIN_INVALID_CONFIG',
        `${row.name}: ${issue?.path.join('.') || 'config'}: ${issue?.message ?? 'invalid'}`,
      );
      if (row.last_error !== error.message) {
        this.options.log.warn({ plugin: row.name, code: error.code }, error.message);
        await this.options.store.recordError(row.name, error.message);
      }
      plugin.refusal = error;
      return { changed: false, valid: false };
    }
    if (JSON.stringify(parsed.data) === JSON.stringify(plugin.config)) return { changed: false, valid: true };
    plugin.config = parsed.data;
    return { changed: true, valid: true };
  }

  private async activate(plugin: LoadedPlugin): Promise<void> {
    const name = plugin.definition.name;
    try {
      for (const { command, description, adminOnly, sideEffects } of plugin.commands) {
        this.options.registry.add({ command, description, adminOnly, sideEffects, source: name });
      }
    } catch (error) {
      this.options.registry.removeSource(name);
      plugin.refusal =
        error instanceof CommandTakenError
          ? new OmniError('PLUGIN_COMMAND_TAKEN', `/${error.command} belongs to ${error.owner}`)
          : new OmniError('PLUGIN_SETUP_FAILED', String(error));
      await this.switchOff(name, plugin.refusal.message);
      this.options.log.error({ plugin: name, code: plugin.refusal.code }, plugin.refusal.message);
      return;
    }
    plugin.active = true;
    plugin.failures = [];
    this.rebuildChain();
    for (const hook of plugin.hooks.enable) await this.guard(plugin, hook);
    for (const schedule of plugin.schedules)
      schedule.job = new Cron(schedule.pattern, { protect: true }, schedule.task);
    for (const { event, listener } of plugin.listeners) this.options.events.on(event, listener as never);
    this.options.log.info({ plugin: name }, 'plugin enabled');
  }

  /**
   * Takes a plugin's handlers, schedules and listeners out. `why` decides the log line: only a
   * switch-off says "plugin disabled"; a shutdown or a reload says so itself.
   */
  private async deactivate(
    plugin: LoadedPlugin,
    why: 'switch-off' | 'shutdown' | 'reload' = 'switch-off',
  ): Promise<void> {
    plugin.active = false;
    this.rebuildChain();
    this.options.abandon?.(plugin.definition.name);
    for (const schedule of plugin.schedules) schedule.job?.stop();
    for (const { event, listener } of plugin.listeners) this.options.events.off(event, listener as never);
    this.options.registry.removeSource(plugin.definition.name);
    for (const hook of plugin.hooks.disable) await this.guard(plugin, hook);
    if (why === 'switch-off') this.options.log.info({ plugin: plugin.definition.name }, 'plugin disabled');
  }

  /** A hook that throws is logged and counted like a handler that throws. */
  private async guard(plugin: LoadedPlugin, hook: () => unknown): Promise<void> {
    try {
      await hook();
    } catch (error) {
      await this.failed(plugin, error);
    }
  }

  private async failed(plugin: LoadedPlugin, error: unknown, ctx?: BotContext): Promise<void> {
    const name = plugin.definition.name;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.log.error({ plugin: name, err: error }, 'plugin failed');
    if (ctx?.chat) await ctx.reply(ctx.core.t.handlerFailed).catch(() => {});
    // Work begun before the plugin was switched off may still fail: logged, but it must not bury
    // the reason it was switched off.
    if (!plugin.active) return;
    const breaker = this.options.breaker ?? DEFAULT_BREAKER;
    const now = Date.now();
    plugin.failures = [...plugin.failures.filter((at) => now - at < breaker.windowMs), now];
    // Decided before anything is awaited, so that a burst of failures trips the breaker once; the
    // writes go one after another, so that the switch-off is the last word whatever the database.
    const trips = plugin.failures.length >= breaker.failures;
    const deactivating = trips ? this.deactivate(plugin) : undefined;
    await this.inOrder(plugin, () => this.options.store.recordError(name, message));
    if (!deactivating) return;
    const reason = `switched off after ${plugin.failures.length} failures within ${breaker.windowMs / 1000} s; last: ${message}`;
    await this.inOrder(plugin, () => this.switchOff(name, reason));
    await deactivating;
    await this.options
      .alert(`Plugin ${name} was switched off: ${reason}. Switch it on again once fixed.`)
      .catch(() => {});
  }

  /** Runs a write about this plugin after the ones before it; a failed write is not the plugin's fault. */
  private inOrder(plugin: LoadedPlugin, write: () => Promise<void>): Promise<void> {
    plugin.writes = plugin.writes.then(write).catch(() => {});
    return plugin.writes;
  }

  private async setUp(definition: PluginDefinition, dir: string): Promise<LoadedPlugin> {
    const name = definition.name;
    const log = this.options.log.child({ plugin: name });
    const defaults = definition.configSchema?.safeParse({});
    const plugin: LoadedPlugin = {
      definition,
      dir,
      composer: new Composer<BotContext>(),
      commands: [],
      hooks: { enable: [], disable: [], config: [] },
      schedules: [],
      routes: new RouteTable(),
      listeners: [],
      config: defaults?.success ? defaults.data : {},
      active: false,
      failures: [],
      generation: this.rows.get(name)?.code_generation ?? 0,
      writes: Promise.resolve(),
    };
    const guarded =
      <A extends unknown[]>(fn: (...args: A) => unknown) =>
      (...args: A): Promise<void> =>
        this.guard(plugin, () => fn(...args));
    const metricName = (metric: string): string => `omnicore_plugin_${name.replace(/-/g, '_')}_${metric}`;
    const registers = [this.options.metrics];
    // A reload runs setup again: the metric it registered the first time is handed back.
    const existing = <M>(metric: string, kind: abstract new (...args: never[]) => M): M | undefined => {
      const found = this.options.metrics.getSingleMetric(metricName(metric));
      return found instanceof kind ? found : undefined;
    };
    const addRoute = (method: 'GET' | 'POST') => (path: string, handler: RouteHandler) =>
      plugin.routes.add(method, path, handler);
    const context: PluginContext<unknown> = {
      name,
      composer: plugin.composer as unknown as PluginContext<unknown>['composer'],
      command: (command, description, handler, options) => {
        plugin.commands.push({
          command,
          description,
          handler,
          adminOnly: options?.adminOnly ?? false,
          sideEffects: options?.sideEffects ?? false,
        });
        plugin.composer.command(command, (ctx) =>
          options?.adminOnly && !ctx.core.isAdmin ? ctx.reply(ctx.core.t.adminOnly) : handler(ctx),
        );
      },
      get config() {
        return plugin.config;
      },
      log,
      storage: this.options.storageFor(name),
      schedule: (pattern, task) => {
        // Checked now, so that a bad pattern fails the setup; the job itself exists only while the plugin is on.
        new Cron(pattern, { paused: true }).stop();
        plugin.schedules.push({ pattern, task: guarded(task) });
      },
      routes: { get: addRoute('GET'), post: addRoute('POST') },
      on: (event, listener) => {
        plugin.listeners.push({ event, listener: guarded(listener as (...args: unknown[]) => unknown) });
      },
      metrics: {
        counter: (metric, help, labelNames = []) =>
          existing(metric, Counter) ?? new Counter({ name: metricName(metric), help, labelNames, registers }),
        gauge: (metric, help, labelNames = []) =>
          existing(metric, Gauge) ?? new Gauge({ name: metricName(metric), help, labelNames, registers }),
        histogram: (metric, help, labelNames = []) =>
          existing(metric, Histogram) ?? new Histogram({ name: metricName(metric), help, labelNames, registers }),
      },
      analytics: this.options.analytics,
      isAdmin: (ctx) => (ctx as BotContext).core?.isAdmin === true,
      ...(this.options.ai ? { ai: this.options.ai } : {}),
      onEnable: (hook) => plugin.hooks.enable.push(hook),
      onDisable: (hook) => plugin.hooks.disable.push(hook),
      onConfigChange: (hook) => plugin.hooks.config.push(hook as (config: unknown) => unknown),
    };
    const timeoutMs = this.options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS;
    await withinDeadline(
      definition.setup(context),
      timeoutMs,
      () => new OmniError('PLUGIN_SETUP_TIMEOUT', `${name}: setup() still running after ${timeoutMs} ms`),
    );
    return plugin;
  }

  /**
   * Re-imports a plugin's entry file and swaps its commands, handlers, hooks, schedules, routes and
   * config schema in place. Its name and dependencies must stay the same (they need a restart), and
   * modules the entry file imports stay cached by Node until the process restarts.
   */
  private async reload(old: LoadedPlugin, generation: number): Promise<LoadedPlugin> {
    const name = old.definition.name;
    old.generation = generation;
    try {
      const { found } = await discoverPlugins(this.options.dirs, ++this.imports);
      const candidate = found.find((each) => each.definition.name === name);
      if (!candidate) throw new Error('its folder no longer holds it');
      const { definition, dir } = candidate;
      checkPlatform(definition, this.options.platformVersion);
      if ((definition.dependsOn ?? []).join() !== (old.definition.dependsOn ?? []).join()) {
        throw new Error('its dependencies changed; restart to apply that');
      }
      const next = await this.setUp(definition, dir);
      next.generation = generation;
      next.config = old.config;
      if (old.active) await this.deactivate(old, 'reload');
      this.plugins.set(name, next);
      this.options.log.info({ plugin: name, version: definition.version }, 'plugin reloaded');
      return next;
    } catch (error) {
      const message = `reload failed, the previous code keeps running: ${(error as Error).message}`;
      this.options.log.error({ plugin: name, err: error }, message);
      await this.options.store.recordError(name, message);
      return old;
    }
  }

  private rebuildChain(): void {
    const chain = new Composer<BotContext>();
    for (const name of this.order) {
      const plugin = this.plugins.get(name) as LoadedPlugin;
      // The boundary catches what this plugin throws, not what runs after it; after a failure the
      // update goes no further (the user already got an apology).
      if (!plugin.active) continue;
      const bounded = new Composer<BotContext>();
      bounded.errorBoundary((error) => this.failed(plugin, error.error, error.ctx), plugin.composer);
      chain.use(attributed(name, bounded.middleware()));
    }
    this.chain = chain;
  }

  /** Charges a failure found outside a handler (an overrun deadline) to a plugin, breaker included. */
  async charge(name: string, error: unknown): Promise<void> {
    const plugin = this.plugins.get(name);
    if (plugin) await this.failed(plugin, error);
  }

  /**
   * Charges an error nobody caught (a rejected promise left unawaited, a throwing timer) to the
   * plugin whose code its stack passes through; the plugin's name, or undefined when it is not one.
   */
  async chargeUncaught(error: unknown): Promise<string | undefined> {
    const plugin = this.pluginIn(error instanceof Error ? (error.stack ?? '') : '');
    if (plugin) await this.failed(plugin, error);
    return plugin?.definition.name;
  }

  /**
   * Switches off, at once, the plugin whose code was running when the process had to be stopped or
   * nearly ran out of memory (`frames`: where the main thread was, innermost first). Counting that
   * towards the breaker would let it happen again.
   */
  async chargeCrash(frames: readonly string[], what: string): Promise<string | undefined> {
    const plugin = this.pluginIn(frames.join('\n'));
    if (!plugin) return undefined;
    const name = plugin.definition.name;
    const reason = `switched off: ${what} while its code ran (${frames[0] ?? 'unknown place'})`;
    this.options.log.error({ plugin: name, frames }, reason);
    await this.switchOff(name, reason);
    if (plugin.active) await this.deactivate(plugin);
    await this.options.alert(`Plugin ${name} was ${reason}. Switch it on again once fixed.`).catch(() => {});
    return name;
  }

  /** The plugin whose folder a stack trace (or a list of frames) passes through. */
  private pluginIn(stack: string): LoadedPlugin | undefined {
    for (const plugin of this.plugins.values()) {
      const places = [`${plugin.dir}${path.sep}`, `${pathToFileURL(plugin.dir).href}/`];
      if (places.some((place) => stack.includes(place))) return plugin;
    }
    return undefined;
  }

  /** Records that a plugin was switched off and why, in the table and in what this host last read. */
  private async switchOff(name: string, reason: string): Promise<void> {
    await this.options.store.setEnabled(name, false, reason);
    const row = this.rows.get(name);
    if (row) this.rows.set(name, { ...row, enabled: 0, last_error: reason });
  }

  private refuse(name: string, version: string, description: string, error: OmniError): void {
    this.refused.push({ name, version, description, error });
    this.options.log.error({ plugin: name, code: error.code }, error.message);
  }
}

/** What changes while a folder is being copied: its entries and their sizes and times. */
function folderSignature(dir: string): string {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .map((entry) => {
        const stats = statSync(path.join(dir, entry.name));
        return `${entry.name}:${stats.size}:${stats.mtimeMs}`;
      })
      .sort()
      .join('|');
  } catch {
    return '';
  }
}

/** Marks the update's handling as inside `plugin` while its middleware runs (not what follows it). */
function attributed(plugin: string, middleware: MiddlewareFn<BotContext>): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const handling = handlingOf(ctx.update);
    if (!handling) return middleware(ctx, next);
    const outer = handling.plugin;
    handling.plugin = plugin;
    try {
      await middleware(ctx, async () => {
        handling.plugin = outer;
        try {
          await next();
        } finally {
          handling.plugin = plugin;
        }
      });
    } finally {
      handling.plugin = outer;
    }
  };
}
