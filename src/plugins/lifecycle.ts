// A plugin's life: set up (within a deadline), switched on (its commands, handlers, schedules and
// listeners put in, its enable hooks run) and switched off again. Plugins go on in dependency
// order and off in the reverse, so a plugin's dependents stop before it does and can still use its
// services while they stop.
import { Cron } from 'croner';
import { type CommandRegistry, CommandTakenError } from '../core/command-registry.js';
import type { EventBus } from '../core/events.js';
import { OmniError } from '../errors.js';
import { withinDeadline } from '../lib/deadline.js';
import { type IsLeader, whenLeading } from '../lib/leading.js';
import type { PluginDefinition } from './api.js';
import type { PluginChain } from './chain.js';
import { type LoadedPlugin, newLoadedPlugin } from './loaded-plugin.js';
import { type ContextDeps, pluginContext } from './plugin-context.js';
import type { PluginSet } from './plugin-set.js';

/** A setup only declares things; one still busy after this is stuck, and would stall the start. */
const DEFAULT_SETUP_TIMEOUT_MS = 10_000;

export interface LifecycleOptions extends Omit<ContextDeps, 'find'> {
  plugins: PluginSet;
  chain: PluginChain;
  registry: CommandRegistry;
  events: EventBus;
  /** Gives up on the updates a plugin is handling now (it was switched off). */
  abandon?: (plugin: string) => void;
  /** How long a plugin's setup() may take before the plugin is refused (PLUGIN_SETUP_TIMEOUT). */
  setupTimeoutMs?: number;
  /** Starts a worker for the plugin's jobs; absent where no jobs run (the CLI). */
  runJobs?: (plugin: LoadedPlugin, guard: ContextDeps['guard']) => LoadedPlugin['jobWorker'];
  /** Plugins' cron schedules fire only while this says so (once per deployment); absent, always. */
  isLeader?: IsLeader;
}

export class Lifecycle {
  constructor(private readonly options: LifecycleOptions) {}

  /** Runs the definition's setup; throws what refuses the plugin (a timeout, what setup threw). */
  async setUp(definition: PluginDefinition, dir: string): Promise<LoadedPlugin> {
    const { plugins, setupTimeoutMs = DEFAULT_SETUP_TIMEOUT_MS } = this.options;
    const name = definition.name;
    const plugin = newLoadedPlugin(definition, dir, plugins.row(name)?.code_generation ?? 0);
    let settingUp = true;
    const context = pluginContext(plugin, { ...this.options, find: (other) => plugins.get(other) }, () => settingUp);
    try {
      await withinDeadline(
        definition.setup(context),
        setupTimeoutMs,
        () => new OmniError('PLUGIN_SETUP_TIMEOUT', `${name}: setup() still running after ${setupTimeoutMs} ms`),
      );
    } finally {
      settingUp = false;
    }
    return plugin;
  }

  /**
   * Brings every plugin to what `wanted` says: those wanted whose dependencies run are on, the rest
   * off. Dependents go off before what they depend on, and on after it.
   */
  async settle(wanted: (plugin: LoadedPlugin) => boolean): Promise<void> {
    const ordered = this.options.plugins.ordered();
    const running = new Set<string>();
    for (const plugin of ordered) {
      const dependencies = plugin.definition.dependsOn ?? [];
      if (wanted(plugin) && dependencies.every((name) => running.has(name))) running.add(plugin.definition.name);
    }
    for (const plugin of [...ordered].reverse()) {
      if (plugin.active && !running.has(plugin.definition.name)) await this.deactivate(plugin);
    }
    for (const plugin of ordered) {
      const name = plugin.definition.name;
      if (!plugin.active && running.has(name) && this.options.plugins.dependenciesActive(plugin))
        await this.activate(plugin);
    }
  }

  /**
   * Switches a plugin off at once (the breaker, a crash), then whatever depended on it. It is
   * inactive before this returns its promise, so that a second failure cannot stop it twice.
   */
  async stop(plugin: LoadedPlugin): Promise<void> {
    await this.deactivate(plugin);
    await this.settle((other) => other.active);
  }

  /** Stops every running plugin, dependents first; the table is left as it is. */
  async stopAll(): Promise<string[]> {
    const stopped: string[] = [];
    for (const plugin of this.options.plugins.ordered().reverse()) {
      if (!plugin.active) continue;
      await this.deactivate(plugin, 'shutdown');
      stopped.push(plugin.definition.name);
    }
    return stopped;
  }

  async activate(plugin: LoadedPlugin): Promise<void> {
    const { registry, plugins, events, log } = this.options;
    const name = plugin.definition.name;
    try {
      for (const { command, description, adminOnly, sideEffects } of plugin.commands) {
        registry.add({ command, description, adminOnly, sideEffects, source: name });
      }
    } catch (error) {
      registry.removeSource(name);
      plugin.refusal =
        error instanceof CommandTakenError
          ? new OmniError('PLUGIN_COMMAND_TAKEN', `/${error.command} belongs to ${error.owner}`)
          : new OmniError('PLUGIN_SETUP_FAILED', String(error));
      await plugins.switchOff(name, plugin.refusal.message);
      log.error({ plugin: name, code: plugin.refusal.code }, plugin.refusal.message);
      return;
    }
    plugin.active = true;
    plugin.failures = [];
    if (plugin.products) this.options.payments?.declare(name, plugin.products);
    this.rebuildChain();
    for (const hook of plugin.hooks.enable) await this.options.guard(plugin, hook);
    for (const schedule of plugin.schedules)
      schedule.job = new Cron(schedule.pattern, { protect: true }, whenLeading(this.options.isLeader, schedule.task));
    plugin.jobWorker = this.options.runJobs?.(plugin, this.options.guard);
    for (const { event, listener } of plugin.listeners) events.on(event, listener as never);
    log.info({ plugin: name }, 'plugin enabled');
  }

  /**
   * Takes a plugin's handlers, schedules and listeners out. `why` decides the log line: only a
   * switch-off says "plugin disabled"; a shutdown or a reload says so itself.
   */
  async deactivate(plugin: LoadedPlugin, why: 'switch-off' | 'shutdown' | 'reload' = 'switch-off'): Promise<void> {
    const name = plugin.definition.name;
    plugin.active = false;
    this.options.payments?.withdraw(name);
    this.rebuildChain();
    this.options.abandon?.(name);
    for (const schedule of plugin.schedules) schedule.job?.stop();
    const jobs = plugin.jobWorker;
    plugin.jobWorker = undefined;
    await jobs?.stop();
    for (const { event, listener } of plugin.listeners) this.options.events.off(event, listener as never);
    this.options.registry.removeSource(name);
    for (const hook of plugin.hooks.disable) await this.options.guard(plugin, hook);
    if (why === 'switch-off') this.options.log.info({ plugin: name }, 'plugin disabled');
  }

  private rebuildChain(): void {
    this.options.chain.rebuild(this.options.plugins.ordered());
  }
}
