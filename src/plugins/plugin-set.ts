// What the host knows about its plugins: the loaded ones in dependency order, the refused ones with
// their reason, and the `plugins` table rows it last read. Every other part of the host reads and
// records through here, so they all see one state.
import type { Logger } from '../config/logger.js';
import { type ErrorCode, OmniError } from '../errors.js';
import type { LoadedPlugin } from './loaded-plugin.js';
import type { PluginRow, PluginStore } from './store.js';

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

interface Refused {
  name: string;
  version: string;
  description: string;
  error: OmniError;
}

export class PluginSet {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private readonly order: string[] = [];
  private readonly refused: Refused[] = [];
  private rows = new Map<string, PluginRow>();

  constructor(
    readonly store: PluginStore,
    private readonly log: Logger,
  ) {}

  get(name: string): LoadedPlugin | undefined {
    return this.plugins.get(name);
  }

  /** The loaded plugin of that name; else the reason it was refused, or PLUGIN_NOT_FOUND. */
  loaded(name: string): LoadedPlugin {
    const plugin = this.plugins.get(name);
    if (!plugin)
      throw this.refused.find((entry) => entry.name === name)?.error ?? new OmniError('PLUGIN_NOT_FOUND', name);
    return plugin;
  }

  /** Every loaded plugin, each after the plugins it depends on. */
  ordered(): LoadedPlugin[] {
    return this.order.map((name) => this.plugins.get(name) as LoadedPlugin);
  }

  /** A newly set-up plugin, after those already loaded (its dependencies are among them). */
  add(plugin: LoadedPlugin): void {
    this.plugins.set(plugin.definition.name, plugin);
    this.order.push(plugin.definition.name);
  }

  /** New code for a loaded plugin (a reload): same name, same place in the order. */
  replace(plugin: LoadedPlugin): void {
    this.plugins.set(plugin.definition.name, plugin);
  }

  refuse(name: string, version: string, description: string, error: OmniError): void {
    this.refused.push({ name, version, description, error });
    this.log.error({ plugin: name, code: error.code }, error.message);
  }

  row(name: string): PluginRow | undefined {
    return this.rows.get(name);
  }

  async readRows(): Promise<void> {
    this.rows = new Map((await this.store.all()).map((row) => [row.name, row]));
  }

  dependenciesActive(plugin: LoadedPlugin): boolean {
    return (plugin.definition.dependsOn ?? []).every((name) => this.plugins.get(name)?.active);
  }

  /** Records that a plugin was switched off and why, in the table and in what this host last read. */
  async switchOff(name: string, reason: string): Promise<void> {
    await this.store.setEnabled(name, false, reason);
    const row = this.rows.get(name);
    if (row) this.rows.set(name, { ...row, enabled: 0, last_error: reason });
  }

  statuses(): PluginStatus[] {
    const loaded = this.ordered().map((plugin): PluginStatus => {
      const row = this.rows.get(plugin.definition.name);
      return {
        name: plugin.definition.name,
        version: plugin.definition.version,
        description: plugin.definition.description,
        enabled: row?.enabled === 1,
        active: plugin.active,
        commands: plugin.commands.map(({ command, description, adminOnly }) => ({ command, description, adminOnly })),
        errorCount: row?.error_count ?? 0,
        lastError: row?.last_error ?? null,
      };
    });
    const refused = this.refused.map(
      ({ name, version, description, error }): PluginStatus => ({
        name,
        version,
        description,
        enabled: false,
        active: false,
        commands: [],
        errorCount: 0,
        lastError: error.message,
        refused: { code: error.code, message: error.message },
      }),
    );
    return [...loaded, ...refused];
  }
}
