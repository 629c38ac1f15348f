// Takes plugins from disk into the host: discovers the folders (loader.ts), refuses what cannot run
// with its stable code (a folder that failed to load, a duplicate name, a platform range that
// excludes us, a missing or circular dependency, a setup that threw or hung) and sets up the rest
// in dependency order. One refused plugin never stops the others.
import type { Logger } from '../config/logger.js';
import { OmniError } from '../errors.js';
import type { PluginDefinition } from './api.js';
import type { Lifecycle } from './lifecycle.js';
import { discoverPlugins } from './loader.js';
import { checkPlatform } from './manifest.js';
import { dependencyOrder } from './order.js';
import type { PluginSet } from './plugin-set.js';

export interface RegistrationOptions {
  plugins: PluginSet;
  lifecycle: Lifecycle;
  log: Logger;
  platformVersion: string;
  /** Folders scanned for plugins, in order: the built-in ones first, then the operator's. */
  dirs: readonly string[];
}

export class Registration {
  private imports = 0;
  /** Plugin folders looked at, loaded or refused. */
  private readonly folders = new Set<string>();

  constructor(private readonly options: RegistrationOptions) {}

  /** Whether a folder was looked at already. */
  knows(dir: string): boolean {
    return this.folders.has(dir);
  }

  /** Imports the plugin folders `wanted` picks afresh (each look busts Node's module cache). */
  discover(wanted?: (dir: string) => boolean): ReturnType<typeof discoverPlugins> {
    return discoverPlugins(this.options.dirs, ++this.imports, wanted);
  }

  /**
   * Loads the plugin folders `wanted` picks: at start all of them, later the ones that appeared
   * since. Plugins already loaded count as present for the new ones' dependencies.
   */
  async adopt(wanted: (dir: string) => boolean): Promise<void> {
    const { plugins, log, platformVersion } = this.options;
    const { found, problems, linked } = await this.discover(wanted);
    for (const { dir } of [...found, ...problems]) this.folders.add(dir);
    for (const { dir, target } of linked) log.info({ dir, target }, `plugin folder ${dir} is a symlink to ${target}`);
    for (const problem of problems) plugins.refuse(problem.name, '', '', problem.error);
    const existing = plugins.ordered().map((plugin) => plugin.definition);
    const unique: PluginDefinition[] = [];
    for (const { definition, dir } of found) {
      if ([...existing, ...unique].some((other) => other.name === definition.name)) {
        const error = new OmniError('PLUGIN_DUPLICATE_NAME', `${definition.name} in ${dir}`);
        plugins.refuse(definition.name, definition.version, definition.description, error);
        continue;
      }
      try {
        checkPlatform(definition, platformVersion);
        unique.push(definition);
      } catch (error) {
        plugins.refuse(definition.name, definition.version, definition.description, error as OmniError);
      }
    }
    const { order, refused } = dependencyOrder([...existing, ...unique]);
    for (const { item, code, detail } of refused)
      plugins.refuse(item.name, item.version, item.description, new OmniError(code, detail));
    const dirOf = new Map(found.map(({ definition, dir }) => [definition, dir]));
    for (const definition of order) {
      if (existing.includes(definition)) continue;
      try {
        plugins.add(await this.options.lifecycle.setUp(definition, dirOf.get(definition) as string));
        await plugins.store.register(definition.name, definition.version);
      } catch (error) {
        const omni =
          error instanceof OmniError
            ? error
            : new OmniError('PLUGIN_SETUP_FAILED', `${definition.name}: ${(error as Error).message}`);
        plugins.refuse(definition.name, definition.version, definition.description, omni);
      }
    }
  }
}
