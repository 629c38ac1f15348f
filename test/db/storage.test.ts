// The storage layer on SQLite and PostgreSQL alike: migrations, the inbox, settings, user state
// and activity records.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ActivityRecorder } from '../../src/bot/activity.js';
import { Inbox } from '../../src/bot/inbox.js';
import { UserStateStore } from '../../src/core/user-state.js';
import { openDatabase } from '../../src/db/database.js';
import { MIGRATION_NAMES, migrateToLatest } from '../../src/db/migrate.js';
import { SettingsStore, SettingValidationError } from '../../src/db/settings-store.js';
import { createTestDatabase, DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { textUpdate } from '../support/updates.js';

const TABLES = [
  'admin_sessions',
  'admin_users',
  'audit_log',
  'bot_config',
  'plugins',
  'system_metrics',
  'telegram_calls',
  'telegram_updates',
  'update_history',
  'usage_events',
  'user_state',
  'users',
];

describe.each(DATABASE_KINDS)('storage on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);

  it('creates every platform table, and a second run applies nothing', async () => {
    const tables = (await fixture.handle.db.introspection.getTables()).map((table) => table.name);
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    expect(await migrateToLatest(fixture.handle)).toEqual([]);
  });

  it('brings a database migrated by an older release up to date', async () => {
    // Kysely refuses a pending migration whose name sorts before an applied one.
    expect([...MIGRATION_NAMES].sort()).toEqual(MIGRATION_NAMES);
    const older = await createTestDatabase(kind);
    const old = await openDatabase({ url: older.url, dataDir: older.dataDir });
    try {
      // What the first release shipped and applied, in the order Kysely ran it then.
      const firstRelease = ['2026-11-25-core', '2026-11-25-plugin-reload', '2026-11-25-plugin-storage'];
      await migrateToLatest(old, firstRelease);
      const applied = await migrateToLatest(old);
      expect(applied.map((result) => [result.migrationName, result.status])).toEqual(
        MIGRATION_NAMES.slice(firstRelease.length).map((name) => [name, 'Success']),
      );
    } finally {
      await old.close();
      await older.dispose();
    }
  });

  it('waits for the disk on commits that are acknowledged outside, and not on bookkeeping (PostgreSQL)', async () => {
    const { db, bookkeeping } = fixture.handle;
    if (kind === 'sqlite') {
      // One connection on SQLite: bookkeeping is the database itself, as durable as SQLITE_SYNCHRONOUS says.
      expect(bookkeeping).toBe(db);
      return;
    }
    const mode = async (on: typeof db) =>
      (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(on)).rows[0]?.synchronous_commit;
    expect(await mode(db)).toBe('on');
    expect(await mode(bookkeeping)).toBe('off');
    // Same schema either way: what bookkeeping writes, the main connections read at once.
    const inbox = new Inbox(db, { bookkeeping });
    const { entry } = await inbox.store(textUpdate('kept', { chatId: 77, updateId: 7_700 }) as never);
    await inbox.markStarted(entry.updateId);
    await inbox.markDone(entry.updateId);
    const row = await db
      .selectFrom('telegram_updates')
      .select(['status', 'attempts'])
      .where('update_id', '=', 7_700)
      .executeTakeFirst();
    expect(row).toEqual({ status: 'done', attempts: 1 });
  });

  describe('inbox', () => {
    it('stores an update once, whether repeated in one burst or later', async () => {
      const inbox = new Inbox(fixture.handle.db);
      const update = textUpdate('hi', { chatId: 5 });
      const burst = await Promise.all([inbox.store(update as never), inbox.store(update as never)]);
      expect(burst.map((result) => result.stored).sort()).toEqual([false, true]);
      expect((await inbox.store(update as never)).stored).toBe(false);
      const other = await inbox.store(textUpdate('yo', { chatId: 5 }) as never);
      expect(other).toMatchObject({ stored: true, entry: { chatKey: '5', attempts: 0, resumed: false } });
    });

    it('resumes unfinished updates in update_id order with their attempts, and purges old handled ones', async () => {
      const inbox = new Inbox(fixture.handle.db);
      const [a, b, c] = [textUpdate('a'), textUpdate('b'), textUpdate('c')];
      for (const update of [c, a, b]) await inbox.store(update as never);
      await inbox.markStarted(b.update_id);
      await inbox.markStarted(b.update_id);
      await inbox.recordFailure(b.update_id, 'boom', false);
      await inbox.markDone(c.update_id);
      const unfinished = (await inbox.unfinished()).filter((entry) =>
        [a.update_id, b.update_id, c.update_id].includes(entry.updateId),
      );
      expect(unfinished.map((entry) => [entry.updateId, entry.attempts, entry.resumed])).toEqual([
        [a.update_id, 0, true],
        [b.update_id, 2, true],
      ]);
      expect(await inbox.backlog()).toBeGreaterThanOrEqual(2);
      await fixture.handle.db
        .insertInto('telegram_calls')
        .values({ update_id: c.update_id, seq: 1, method: 'sendMessage', result: '{}', at: 0 })
        .execute();
      expect(await inbox.purge(Date.now() + 1000)).toBeGreaterThanOrEqual(1);
      const left = await fixture.handle.db
        .selectFrom('telegram_calls')
        .select('seq')
        .where('update_id', '=', c.update_id)
        .execute();
      expect(left).toEqual([]);
      expect((await inbox.unfinished()).map((entry) => entry.updateId)).toContain(a.update_id);
    });
  });

  describe('settings', () => {
    it('validates, stores, and tells other instances of a change when they refresh', async () => {
      const writer = new SettingsStore(fixture.handle.db);
      const reader = new SettingsStore(fixture.handle.db);
      await reader.refresh();
      expect(reader.get('inbox.maxAttempts')).toBe(5);
      await expect(writer.set('inbox.maxAttempts', 0)).rejects.toThrow(SettingValidationError);
      await expect(writer.set('inbox.maxAttempts', 0)).rejects.toMatchObject({
        code: 'SETTING_INVALID',
        statusCode: 400,
      });
      await expect(writer.set('no.such.key', 1)).rejects.toThrow(/no such setting/);
      const changes: unknown[] = [];
      reader.on('change', (key, value) => changes.push([key, value]));
      await writer.set('inbox.maxAttempts', 3);
      expect(writer.get('inbox.maxAttempts')).toBe(3);
      await reader.refresh();
      expect(reader.get('inbox.maxAttempts')).toBe(3);
      expect(changes).toEqual([['inbox.maxAttempts', 3]]);
      await reader.refresh();
      expect(changes).toHaveLength(1);
    });

    it('falls back to the default when a stored value was edited into something invalid', async () => {
      await fixture.handle.db
        .updateTable('bot_config')
        .set({ value: '"lots"' })
        .where('key', '=', 'inbox.maxAttempts')
        .execute();
      const store = new SettingsStore(fixture.handle.db);
      await store.refresh();
      expect(store.get('inbox.maxAttempts')).toBe(5);
    });
  });

  describe('user state', () => {
    it('keeps every change when many writers update one user at once', async () => {
      const stores = [new UserStateStore(fixture.handle.db), new UserStateStore(fixture.handle.db)];
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          (stores[index % 2] as UserStateStore).update(77, (state) => ({
            ...state,
            context: { ...state.context, [`k${index}`]: index },
          })),
        ),
      );
      const state = await new UserStateStore(fixture.handle.db).get(77);
      expect(Object.keys(state.context)).toHaveLength(20);
    });

    it("reads many users at once, each their own, and never lets a read older than this process's write win", async () => {
      const writer = new UserStateStore(fixture.handle.db);
      const languages = ['de', 'es', 'ru', 'en'] as const;
      await Promise.all(
        languages.map((language, index) => writer.update(90 + index, (state) => ({ ...state, language }))),
      );
      const reader = new UserStateStore(fixture.handle.db);
      const read = await Promise.all([90, 91, 92, 93, 94].map((userId) => reader.get(userId)));
      expect(read.map((state) => state.language)).toEqual([...languages, null]);
      // The read sets out first and may come back with the row as it was before the write.
      const [before] = await Promise.all([
        reader.get(95),
        reader.update(95, (state) => ({ ...state, language: 'es' })),
      ]);
      expect([null, 'es']).toContain(before.language);
      expect((await reader.get(95)).language).toBe('es');
    });

    it('keeps the language across instances', async () => {
      await new UserStateStore(fixture.handle.db).update(78, (state) => ({ ...state, language: 'ru' }));
      expect((await new UserStateStore(fixture.handle.db).get(78)).language).toBe('ru');
      expect(await new UserStateStore(fixture.handle.db).get(79)).toEqual({ language: null, context: {} });
    });
  });

  describe('activity', () => {
    it('writes buffered usage events and counts messages per user', async () => {
      const errors: unknown[] = [];
      const recorder = new ActivityRecorder(fixture.handle.db, {
        flushMs: 60_000,
        maxBuffered: 1000,
        onError: (error) => errors.push(error),
      });
      const user = { id: 9001, is_bot: false, first_name: 'Lin', username: 'lin' };
      recorder.sawUser(user, true, 1000);
      recorder.sawUser(user, true, 2000);
      recorder.recordEvent({
        at: 2000,
        user_id: 9001,
        chat_id: 9001,
        kind: 'message',
        command: 'help',
        plugin: null,
        latency_ms: 3.5,
        outcome: 'ok',
      });
      await recorder.flush();
      recorder.sawUser({ ...user, first_name: 'Lina' }, true, 5000);
      await recorder.stop();
      const row = await fixture.handle.db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', 9001)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ first_name: 'Lina', first_seen: 1000, last_seen: 5000, message_count: 3 });
      const events = await fixture.handle.db
        .selectFrom('usage_events')
        .selectAll()
        .where('user_id', '=', 9001)
        .execute();
      expect(events).toEqual([expect.objectContaining({ command: 'help', latency_ms: 3.5 })]);
      expect(errors).toEqual([]);
    });
  });
});
