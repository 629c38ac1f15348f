// The `plugins` table: what is installed, whether it is on, its configuration, and its errors.
// The host, the CLI and the admin panel all change plugins through here; each change to what a
// running server follows (on/off, configuration, code) is signalled to the other processes.
import type { Kysely, Selectable } from 'kysely';
import { type ChangeSignal, noChangeSignal } from '../db/change-signal.js';
import type { Database, PluginsTable } from '../db/schema.js';

export type PluginRow = Selectable<PluginsTable>;

export class PluginStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly signal: ChangeSignal = noChangeSignal,
  ) {}

  all(): Promise<PluginRow[]> {
    return this.db.selectFrom('plugins').selectAll().orderBy('name').execute();
  }

  /** Records a plugin found on disk; a new one starts switched off, a known one keeps its state. */
  async register(name: string, version: string): Promise<void> {
    const now = Date.now();
    await this.db
      .insertInto('plugins')
      .values({ name, version, enabled: 0, config: '{}', installed_at: now, updated_at: now, last_error: null })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version }))
      .execute();
  }

  async setEnabled(name: string, enabled: boolean, lastError?: string): Promise<boolean> {
    const result = await this.db
      .updateTable('plugins')
      .set({ enabled: enabled ? 1 : 0, updated_at: Date.now(), ...(lastError ? { last_error: lastError } : {}) })
      .where('name', '=', name)
      .executeTakeFirst();
    this.signal.publish('plugins');
    return Number(result.numUpdatedRows) === 1;
  }

  async setConfig(name: string, config: unknown): Promise<void> {
    await this.db
      .updateTable('plugins')
      .set({ config: JSON.stringify(config), updated_at: Date.now() })
      .where('name', '=', name)
      .execute();
    this.signal.publish('plugins');
  }

  /** Asks every running server to re-import the plugin's code at its next sync. */
  async requestReload(name: string): Promise<void> {
    await this.db
      .updateTable('plugins')
      .set((eb) => ({ code_generation: eb('code_generation', '+', 1), updated_at: Date.now() }))
      .where('name', '=', name)
      .execute();
    this.signal.publish('plugins');
  }

  async recordError(name: string, message: string): Promise<void> {
    await this.db
      .updateTable('plugins')
      .set((eb) => ({ error_count: eb('error_count', '+', 1), last_error: message.slice(0, 2000) }))
      .where('name', '=', name)
      .execute();
  }
}
