// Typed get/set over the `bot_config` table, with change events. Reads come from memory; `refresh`,
// which the platform polls and calls on a change signal (main.ts), picks up what other processes
// (the CLI, other instances) changed; `set` signals the change to them.
import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import {
  isSettingKey,
  type SettingKey,
  type SettingsSnapshot,
  type SettingValue,
  settingsCatalog,
} from '../config/settings-catalog.js';
import { OmniError } from '../errors.js';
import { safeJson } from '../lib/safe-json.js';
import { type ChangeSignal, noChangeSignal } from './change-signal.js';
import type { Database } from './schema.js';

export class SettingValidationError extends OmniError {
  override readonly name = 'SettingValidationError';
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super('SETTING_INVALID', `${key}: ${problem}`);
  }
}

export interface SettingsEvents {
  change: [key: SettingKey, value: unknown];
}

export class SettingsStore extends EventEmitter<SettingsEvents> {
  private readonly stored = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly signal: ChangeSignal = noChangeSignal,
  ) {
    super();
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const raw = this.stored.get(key);
    const definition = settingsCatalog[key];
    if (raw === undefined) return definition.default as SettingValue<K>;
    // A value edited by hand into something invalid falls back to the default rather than crash a handler.
    const parsed = definition.schema.safeParse(safeJson(raw));
    return (parsed.success ? parsed.data : definition.default) as SettingValue<K>;
  }

  all(): SettingsSnapshot {
    const entries = (Object.keys(settingsCatalog) as SettingKey[]).map((key) => [key, this.get(key)]);
    return Object.fromEntries(entries) as SettingsSnapshot;
  }

  /** Validates and stores a value; `key` may come from outside (CLI, HTTP), so it is checked too. */
  async set(key: string, value: unknown): Promise<void> {
    if (!isSettingKey(key)) throw new SettingValidationError(key, 'no such setting');
    const parsed = settingsCatalog[key].schema.safeParse(value);
    if (!parsed.success) {
      throw new SettingValidationError(key, parsed.error.issues[0]?.message ?? 'invalid value');
    }
    const json = JSON.stringify(parsed.data);
    await this.db
      .insertInto('bot_config')
      .values({ key, value: json, updated_at: Date.now() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_at: Date.now() }))
      .execute();
    this.apply(key, json);
    this.signal.publish('settings');
  }

  /** Loads every stored value and emits `change` for those that differ from what this process had. */
  async refresh(): Promise<void> {
    const rows = await this.db.selectFrom('bot_config').select(['key', 'value']).execute();
    for (const row of rows) this.apply(row.key, row.value);
  }

  private apply(key: string, json: string): void {
    if (this.stored.get(key) === json) return;
    this.stored.set(key, json);
    if (isSettingKey(key)) this.emit('change', key, this.get(key));
  }
}

/** Calls `changed` whenever `key` changes; returns how to stop. */
export function settingChanges(settings: SettingsStore, key: SettingKey, changed: () => void): () => void {
  const listener = (changedKey: SettingKey): void => {
    if (changedKey === key) changed();
  };
  settings.on('change', listener);
  return () => settings.off('change', listener);
}
