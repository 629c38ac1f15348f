// A plugin's storage on SQLite and PostgreSQL: update() is atomic against parallel updates in one
// process and against writers on other database connections (what other processes are), leaves
// the value alone when its function throws, and gives up with a clear error when it keeps losing.
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/db/migrate.js';
import { OmniError } from '../../src/errors.js';
import type { PluginStorage } from '../../src/plugins/api.js';
import { pluginStorage } from '../../src/plugins/storage.js';
import { createTestDatabase, DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

describe.each(DATABASE_KINDS)('plugin storage on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);
  /** A second connection to the same database, as another process would have. */
  let other: DatabaseHandle;
  let storage: PluginStorage;
  let elsewhere: PluginStorage;

  beforeAll(async () => {
    other = await openDatabase({ url: fixture.database.url, dataDir: fixture.database.dataDir });
    storage = pluginStorage(fixture.handle.db, 'counter');
    elsewhere = pluginStorage(other.db, 'counter');
  });

  afterAll(async () => {
    await other?.close();
  });

  const increment = (n: number | undefined) => (n ?? 0) + 1;

  it('loses no increment among many parallel updates, each returning the value it stored', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => storage.update('parallel', increment)));
    expect(await storage.get('parallel')).toBe(60);
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, index) => index + 1));
  });

  it('loses no increment when two database connections update one key at once', async () => {
    let calls = 0;
    const counted = (n: number | undefined) => {
      calls++;
      return (n ?? 0) + 1;
    };
    await Promise.all(
      Array.from({ length: 200 }, (_, index) => (index % 2 ? storage : elsewhere).update('shared', counted)),
    );
    expect(await storage.get('shared')).toBe(200);
    expect(await elsewhere.get('shared')).toBe(200);
    // Conflicts did happen and were retried, or this test proved nothing.
    expect(calls).toBeGreaterThan(200);
  });

  /**
   * Begins a transaction on the other connection with `queries` in it and returns its commit, to be
   * called from inside an update's function: a write that lands between that update's read and its
   * compare-and-set. SQLite commits at once (runNow); PostgreSQL's uncommitted write holds the row,
   * so the compare-and-set cannot pass before the commit and fails after it.
   */
  async function writeBetween(...queries: CompiledQuery[]): Promise<{ commit(): void; done: Promise<void> }> {
    const { runNow } = other;
    if (runNow) {
      runNow(CompiledQuery.raw('begin immediate'));
      for (const query of queries) runNow(query);
      return { commit: () => runNow(CompiledQuery.raw('commit')), done: Promise.resolve() };
    }
    let commit = () => {};
    const go = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let began = () => {};
    const ready = new Promise<void>((resolve) => {
      began = resolve;
    });
    const done = other.db.connection().execute(async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin'));
      for (const query of queries) await connection.executeQuery(query);
      began();
      await go;
      await connection.executeQuery(CompiledQuery.raw('commit'));
    });
    await ready;
    return { commit, done };
  }

  const overwrite = (key: string, value: unknown) =>
    other.db
      .updateTable('plugin_storage')
      .set((eb) => ({ value: JSON.stringify(value), version: eb('version', '+', 1) }))
      .where('plugin', '=', 'counter')
      .where('key', '=', key)
      .compile();

  it('keeps the value when the function throws or returns what JSON cannot hold', async () => {
    await storage.set('kept', { n: 5 });
    await expect(
      storage.update('kept', () => {
        throw new Error('refused by the plugin');
      }),
    ).rejects.toThrow('refused by the plugin');
    await expect(storage.update('kept', () => ({ n: 6n }))).rejects.toThrow(
      /storage\.update\(kept\): the value cannot be stored as JSON \(.*BigInt/,
    );
    await expect(storage.update('kept', () => undefined)).rejects.toThrow(/cannot be stored as JSON/);
    await expect(storage.update('kept', async () => ({ n: 7 }))).rejects.toThrow(/not a promise/);
    await expect(storage.set('kept', 7n)).rejects.toThrow(/storage\.set\(kept\).*BigInt/);
    expect(await storage.get('kept')).toEqual({ n: 5 });
    expect(await storage.update<{ n: number }>('kept', (value) => ({ n: (value?.n ?? 0) + 1 }))).toEqual({ n: 6 });
  });

  it('raises the version on every write, set() included, so that an update in flight sees it', async () => {
    const version = async () =>
      (
        await fixture.handle.db
          .selectFrom('plugin_storage')
          .select('version')
          .where('plugin', '=', 'counter')
          .where('key', '=', 'versioned')
          .executeTakeFirstOrThrow()
      ).version;
    await storage.set('versioned', 1);
    const first = await version();
    await elsewhere.set('versioned', 1);
    await storage.update('versioned', increment);
    expect([await version(), await storage.get('versioned')]).toEqual([first + 2, 2]);
  });

  it('runs the function again on a value another writer set in between', async () => {
    await storage.set('raced', 1);
    const between = await writeBetween(overwrite('raced', 10));
    const seen: unknown[] = [];
    const result = await storage.update<number>('raced', (n) => {
      seen.push(n);
      if (seen.length === 1) between.commit();
      return (n ?? 0) + 1;
    });
    await between.done;
    expect([seen, result, await storage.get('raced')]).toEqual([[1, 10], 11, 11]);
  });

  it('does not overwrite a key deleted and set again while the function ran', async () => {
    await storage.set('reborn', 'first');
    const between = await writeBetween(
      other.db.deleteFrom('plugin_storage').where('plugin', '=', 'counter').where('key', '=', 'reborn').compile(),
      other.db
        .insertInto('plugin_storage')
        .values({ plugin: 'counter', key: 'reborn', value: '"second"', version: 1, updated_at: Date.now() })
        .compile(),
    );
    const result = await storage.update<string>('reborn', (text) => {
      if (text === 'first') between.commit();
      return `${text}+`;
    });
    await between.done;
    expect(result).toBe('second+');
  });

  it('gives up with PLUGIN_STORAGE_CONFLICT once every attempt lost, writing nothing', async () => {
    await storage.set('hot', 1);
    const between = await writeBetween(overwrite('hot', 1000));
    let calls = 0;
    const update = storage.update<number>(
      'hot',
      (n) => {
        calls++;
        between.commit();
        return (n ?? 0) + 1;
      },
      { maxAttempts: 1 },
    );
    await expect(update).rejects.toBeInstanceOf(OmniError);
    await expect(update).rejects.toMatchObject({
      code: 'PLUGIN_STORAGE_CONFLICT',
      message: expect.stringMatching(/storage\.update\(hot\) lost all 1 attempts/),
    });
    await between.done;
    expect([calls, await storage.get('hot')]).toEqual([1, 1000]);
    await expect(storage.update('hot', increment, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
  });

  it('updates rows stored before versions existed', async () => {
    const older = await createTestDatabase(kind);
    const old = await openDatabase({ url: older.url, dataDir: older.dataDir });
    try {
      const before = MIGRATION_NAMES.slice(0, MIGRATION_NAMES.indexOf('2026-11-29.02-plugin-storage-version'));
      await migrateToLatest(old, before);
      await old.db
        .insertInto('plugin_storage')
        .values({ plugin: 'counter', key: 'legacy', value: '41', updated_at: 0 } as never)
        .execute();
      await migrateToLatest(old);
      expect(await pluginStorage(old.db, 'counter').update('legacy', increment)).toBe(42);
    } finally {
      await old.close();
      await older.dispose();
    }
  });
});
