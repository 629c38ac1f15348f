// Code that changes on disk while the bot runs: plugin folders copied in (taken once they look the
// same on two looks in a row, so that one still being copied is not refused for a missing entry
// file), and a plugin's code reloaded on request, swapped in place with the old code kept running
// when the new one fails.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../config/logger.js';
import type { Lifecycle } from './lifecycle.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import { checkPlatform } from './manifest.js';
import { pluginFolders } from './plugin-folders.js';
import type { PluginSet } from './plugin-set.js';
import type { Registration } from './registration.js';

export interface ArrivalsOptions {
  plugins: PluginSet;
  registration: Registration;
  lifecycle: Lifecycle;
  log: Logger;
  platformVersion: string;
  dirs: readonly string[];
}

export class Arrivals {
  /** New folders seen on the last look, with their signature. */
  private arriving = new Map<string, string>();

  constructor(private readonly options: ArrivalsOptions) {}

  /** Loads the plugin folders that appeared since the start and have settled. */
  async adoptNewFolders(): Promise<void> {
    const { registration, plugins, log } = this.options;
    const fresh = new Map<string, string>();
    for (const root of this.options.dirs) {
      if (!existsSync(root)) continue;
      for (const { dir } of pluginFolders(root)) if (!registration.knows(dir)) fresh.set(dir, folderSignature(dir));
    }
    const settled = [...fresh].filter(([dir, signature]) => this.arriving.get(dir) === signature).map(([dir]) => dir);
    this.arriving = fresh;
    if (settled.length === 0) return;
    const names = () => plugins.ordered().map((plugin) => plugin.definition.name);
    const before = new Set(names());
    await registration.adopt((dir) => settled.includes(dir));
    for (const name of names()) if (!before.has(name)) log.info({ plugin: name }, 'plugin folder found while running');
  }

  /**
   * Re-imports a plugin's entry file and swaps its commands, handlers, hooks, schedules, routes,
   * services and config schema in place. Its name and dependencies must stay the same (they need a
   * restart), and modules the entry file imports stay cached by Node until the process restarts.
   */
  async reload(old: LoadedPlugin, generation: number): Promise<LoadedPlugin> {
    const { plugins, lifecycle, log } = this.options;
    const name = old.definition.name;
    old.generation = generation;
    try {
      const { found } = await this.options.registration.discover();
      const candidate = found.find((each) => each.definition.name === name);
      if (!candidate) throw new Error('its folder no longer holds it');
      const { definition, dir } = candidate;
      checkPlatform(definition, this.options.platformVersion);
      if ((definition.dependsOn ?? []).join() !== (old.definition.dependsOn ?? []).join()) {
        throw new Error('its dependencies changed; restart to apply that');
      }
      const next = await lifecycle.setUp(definition, dir);
      next.generation = generation;
      next.config = old.config;
      // Swapped at once, so that its dependents meet it stopped for no longer than the swap.
      const running = old.active;
      if (running) await lifecycle.deactivate(old, 'reload');
      plugins.replace(next);
      if (running && plugins.row(name)?.enabled === 1) await lifecycle.activate(next);
      log.info({ plugin: name, version: definition.version }, 'plugin reloaded');
      return next;
    } catch (error) {
      const message = `reload failed, the previous code keeps running: ${(error as Error).message}`;
      log.error({ plugin: name, err: error }, message);
      await plugins.store.recordError(name, message);
      return old;
    }
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
