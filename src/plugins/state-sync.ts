// Keeps this process in line with the `plugins` table, whoever changed it (this process, the CLI,
// another instance on the same database): reads it every `pollMs`, reloads code whose generation
// went up, applies new configuration (refusing an invalid one), and switches plugins on and off.
import type { Logger } from '../config/logger.js';
import { OmniError } from '../errors.js';
import { type Repetition, repeat } from '../lib/repeat.js';
import type { Lifecycle } from './lifecycle.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import type { PluginSet } from './plugin-set.js';
import type { PluginRow } from './store.js';

export interface StateSyncOptions {
  plugins: PluginSet;
  lifecycle: Lifecycle;
  log: Logger;
  /** Reads the table but changes nothing (the CLI's listing). */
  inspectOnly?: boolean;
  /** Takes in plugin folders that appeared since the last look. */
  adoptNewFolders: () => Promise<void>;
  /** Re-imports a plugin's code; the plugin to carry on with (the old one when that failed). */
  reload: (plugin: LoadedPlugin, generation: number) => Promise<LoadedPlugin>;
  /** Runs one of the plugin's functions inside its error boundary. */
  guard: (plugin: LoadedPlugin, fn: () => unknown) => Promise<void>;
}

export class StateSync {
  private polling: Repetition | undefined;
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly options: StateSyncOptions) {}

  /** Reads the table and brings every plugin in line with it; one pass at a time. */
  sync(): Promise<void> {
    // A failed pass must not stop the ones after it, so each starts from a settled previous one.
    this.applying = this.applying.catch(() => {}).then(() => this.pass());
    return this.applying;
  }

  /** Follows changes other processes make to the table, within `pollMs`. */
  watch(pollMs: number): void {
    this.polling = repeat(() => this.sync(), {
      every: pollMs,
      firstAfterMs: pollMs,
      onError: (error) => this.options.log.warn({ err: error }, 'plugin state refresh failed'),
    });
  }

  /** Stops following the table, once the pass under way is over. */
  async stop(): Promise<void> {
    await this.polling?.stop();
    await this.applying.catch(() => {});
  }

  private async pass(): Promise<void> {
    const { plugins, inspectOnly, lifecycle } = this.options;
    if (!inspectOnly) await this.options.adoptNewFolders();
    await plugins.readRows();
    if (inspectOnly) return;
    const configValid = new Set<LoadedPlugin>();
    const configChanged: LoadedPlugin[] = [];
    for (const loaded of plugins.ordered()) {
      const row = plugins.row(loaded.definition.name);
      if (!row) continue;
      const plugin =
        row.code_generation > loaded.generation ? await this.options.reload(loaded, row.code_generation) : loaded;
      const config = await this.updateConfig(plugin, row);
      if (config.valid) configValid.add(plugin);
      if (config.changed && plugin.active) configChanged.push(plugin);
    }
    // A running plugin whose stored configuration went bad keeps running with its last good one.
    await lifecycle.settle(
      (plugin) => plugins.row(plugin.definition.name)?.enabled === 1 && (plugin.active || configValid.has(plugin)),
    );
    for (const plugin of configChanged) {
      if (!plugin.active) continue;
      for (const hook of plugin.hooks.config) await this.options.guard(plugin, () => hook(plugin.config));
    }
  }

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
        await this.options.plugins.store.recordError(row.name, error.message);
      }
      plugin.refusal = error;
      return { changed: false, valid: false };
    }
    if (JSON.stringify(parsed.data) === JSON.stringify(plugin.config)) return { changed: false, valid: true };
    plugin.config = parsed.data;
    return { changed: true, valid: true };
  }
}
