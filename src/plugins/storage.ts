// A plugin's own key-value storage in the platform's database: JSON values under string keys,
// visible to that plugin only.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PluginStorage } from './api.js';

export function pluginStorage(db: Kysely<Database>, plugin: string): PluginStorage {
  const scoped = () => db.selectFrom('plugin_storage').where('plugin', '=', plugin);
  return {
    async get<T>(key: string): Promise<T | undefined> {
      const row = await scoped().select('value').where('key', '=', key).executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async set(key: string, value: unknown): Promise<void> {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError(`storage.set(${key}): the value cannot be stored as JSON`);
      await db
        .insertInto('plugin_storage')
        .values({ plugin, key, value: json, updated_at: Date.now() })
        .onConflict((oc) => oc.columns(['plugin', 'key']).doUpdateSet({ value: json, updated_at: Date.now() }))
        .execute();
    },
    async delete(key: string): Promise<boolean> {
      const result = await db
        .deleteFrom('plugin_storage')
        .where('plugin', '=', plugin)
        .where('key', '=', key)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async keys(prefix = ''): Promise<string[]> {
      const rows = await scoped().select('key').orderBy('key').execute();
      return rows.map((row) => row.key).filter((key) => key.startsWith(prefix));
    },
  };
}
