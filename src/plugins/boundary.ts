// The error boundary's accounting and the circuit breaker: whatever a plugin's code throws (a
// handler, a hook, a schedule, a rejection nobody awaited, a crash found on the stack) is logged,
// charged to that plugin in the `plugins` table, and a plugin failing too often is switched off
// and the bot's admins are told. Its writes about one plugin go one after another.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../config/logger.js';
import type { BotContext } from '../core/context.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import type { PluginSet } from './plugin-set.js';

const DEFAULT_BREAKER = { failures: 5, windowMs: 60_000 };

export interface BoundaryOptions {
  plugins: PluginSet;
  log: Logger;
  /** Tells the bot's admins (a plugin was switched off). */
  alert: (text: string) => Promise<void>;
  /** Failures within `windowMs` that switch a plugin off. */
  breaker?: { failures: number; windowMs: number };
  /** Takes a plugin out at once (it must be inactive when this returns synchronously), then what depends on it. */
  stop: (plugin: LoadedPlugin) => Promise<void>;
}

export class Boundary {
  constructor(private readonly options: BoundaryOptions) {}

  /** Runs one of the plugin's hooks: one that throws is logged and counted like a handler that throws. */
  async guard(plugin: LoadedPlugin, hook: () => unknown): Promise<void> {
    try {
      await hook();
    } catch (error) {
      await this.failed(plugin, error);
    }
  }

  /** Charges a failure to the plugin; `ctx`, when the failure was handling an update, gets an apology. */
  async failed(plugin: LoadedPlugin, error: unknown, ctx?: BotContext): Promise<void> {
    const name = plugin.definition.name;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.log.error({ plugin: name, err: error }, 'plugin failed');
    // The update failed for its user though the boundary kept it from the chat: usage analytics and
    // the experiments' error guard count it so.
    if (ctx?.core) ctx.core.outcome = 'error';
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
    const stopping = trips ? this.options.stop(plugin) : undefined;
    await this.inOrder(plugin, () => this.options.plugins.store.recordError(name, message));
    if (!stopping) return;
    const reason = `switched off after ${plugin.failures.length} failures within ${breaker.windowMs / 1000} s; last: ${message}`;
    await this.inOrder(plugin, () => this.options.plugins.switchOff(name, reason));
    await stopping;
    await this.options
      .alert(`Plugin ${name} was switched off: ${reason}. Switch it on again once fixed.`)
      .catch(() => {});
  }

  /** Charges a failure found outside a handler (an overrun deadline) to a plugin, breaker included. */
  async charge(name: string, error: unknown): Promise<void> {
    const plugin = this.options.plugins.get(name);
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
    await this.options.plugins.switchOff(name, reason);
    if (plugin.active) await this.options.stop(plugin);
    await this.options.alert(`Plugin ${name} was ${reason}. Switch it on again once fixed.`).catch(() => {});
    return name;
  }

  /** Runs a write about this plugin after the ones before it; a failed write is not the plugin's fault. */
  private inOrder(plugin: LoadedPlugin, write: () => Promise<void>): Promise<void> {
    plugin.writes = plugin.writes.then(write).catch(() => {});
    return plugin.writes;
  }

  /** The plugin whose folder a stack trace (or a list of frames) passes through. */
  private pluginIn(stack: string): LoadedPlugin | undefined {
    for (const plugin of this.options.plugins.ordered()) {
      const places = [`${plugin.dir}${path.sep}`, `${pathToFileURL(plugin.dir).href}/`];
      if (places.some((place) => stack.includes(place))) return plugin;
    }
    return undefined;
  }
}
