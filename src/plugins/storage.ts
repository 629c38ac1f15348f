// A plugin's own key-value storage in the platform's database: JSON values under string keys,
// visible to that plugin only. Every write raises the row's version, and update() writes with a
// compare-and-set on it in the database, so that updates from several chats and processes lose
// nothing. Within one process, updates of a key also queue behind each other.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { isPostgres } from '../db/migrations/columns.js';
import type { Database } from '../db/schema.js';
import { OmniError } from '../errors.js';
import { KeyedQueue } from '../lib/keyed-queue.js';
import type { PluginStorage, StorageUpdateOptions } from './api.js';

const updateOptions = z.object({ maxAttempts: z.number().int().min(1).max(100).default(10) });

interface StoredRow {
  value: string;
  version: number;
}

export function pluginStorage(db: Kysely<Database>, plugin: string): PluginStorage {
  const scoped = (on: Kysely<Database>) => on.selectFrom('plugin_storage').where('plugin', '=', plugin);
  const queue = new KeyedQueue<string>();
  const postgres = isPostgres(db as Kysely<unknown>);

  /** One round of update(): read, call, compare-and-set. The JSON written; undefined if another write came between. */
  const attempt = async (on: Kysely<Database>, key: string, fn: (current: unknown) => unknown, hold: boolean) => {
    const seen = await scoped(on)
      .select(['value', 'version'])
      .where('key', '=', key)
      .$if(hold, (query) => query.forUpdate())
      .executeTakeFirst();
    const next = fn(seen ? JSON.parse(seen.value) : undefined);
    if (next instanceof Promise) throw new TypeError(`storage.update(${key}): fn must return the value, not a promise`);
    const json = toJson(`storage.update(${key})`, next);
    return (await compareAndSet(on, key, seen, json)) ? json : undefined;
  };

  /**
   * Writes `json` if the row is still as `seen` left it. A key deleted and set again starts over at
   * version 1, so the value read is compared too: when both match, `fn` saw what is stored now.
   */
  const compareAndSet = async (on: Kysely<Database>, key: string, seen: StoredRow | undefined, json: string) => {
    const now = Date.now();
    if (!seen) {
      const inserted = await on
        .insertInto('plugin_storage')
        .values({ plugin, key, value: json, version: 1, updated_at: now })
        .onConflict((oc) => oc.columns(['plugin', 'key']).doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
    }
    const updated = await on
      .updateTable('plugin_storage')
      .set({ value: json, version: seen.version + 1, updated_at: now })
      .where('plugin', '=', plugin)
      .where('key', '=', key)
      .where('version', '=', seen.version)
      .where('value', '=', seen.value)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  };

  return {
    async get<T>(key: string): Promise<T | undefined> {
      const row = await scoped(db).select('value').where('key', '=', key).executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async set(key: string, value: unknown): Promise<void> {
      // Before any await, so that a refusal's stack still shows the plugin's line that asked.
      const json = toJson(`storage.set(${key})`, value);
      const now = Date.now();
      await db
        .insertInto('plugin_storage')
        .values({ plugin, key, value: json, version: 1, updated_at: now })
        .onConflict((oc) =>
          oc.columns(['plugin', 'key']).doUpdateSet((eb) => ({
            value: json,
            updated_at: now,
            version: eb('plugin_storage.version', '+', 1),
          })),
        )
        .execute();
    },
    update<T>(key: string, fn: (current: T | undefined) => T, options: StorageUpdateOptions = {}): Promise<T> {
      const checked = updateOptions.safeParse(options);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        return Promise.reject(new TypeError(`storage.update(${key}): ${issue?.path.join('.')} ${issue?.message}`));
      }
      const { maxAttempts } = checked.data;
      const change = fn as (current: unknown) => unknown;
      return queue.run(key, async () => {
        for (let round = 0; round < maxAttempts; round++) {
          // On PostgreSQL a writer that lost a round holds the row for the next one (FOR UPDATE):
          // otherwise the winner, whose next write starts as soon as its last one ends, could keep
          // winning for as long as it has writes queued. SQLite needs no hold: one process's
          // queries take turns on its single connection, and a transaction held across awaits
          // would stall a writer on another connection, which waits synchronously.
          const written =
            round > 0 && postgres
              ? await db.transaction().execute((trx) => attempt(trx, key, change, true))
              : await attempt(db, key, change, false);
          if (written !== undefined) return JSON.parse(written) as T;
        }
        throw new OmniError('PLUGIN_STORAGE_CONFLICT', `storage.update(${key}) lost all ${maxAttempts} attempts`);
      });
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
      const rows = await scoped(db).select('key').orderBy('key').execute();
      return rows.map((row) => row.key).filter((key) => key.startsWith(prefix));
    },
  };
}

/** JSON for storage; refuses what JSON cannot hold (undefined, functions, BigInt, cycles). */
function toJson(what: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${what}: the value cannot be stored as JSON (${(error as Error).message})`);
  }
  if (json === undefined) throw new TypeError(`${what}: the value cannot be stored as JSON`);
  return json;
}
