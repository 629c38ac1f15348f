// The durable inbox (`telegram_updates`): an update is stored here before Telegram is told we have it,
// and stays "pending" until its handler succeeds. A repeated update_id is recognised and not stored again.
// A repeated update_id with different content is not a re-delivery but a Bot API server that numbers
// afresh (Telegram after a week without updates, a restarted emulator): it is never taken for a
// duplicate. If the stored update is already handled, the new one replaces it (with its call journal,
// which belongs to the old one) and is handled; if the stored one is still pending, the new one is
// refused for now (the webhook answers 503 and Telegram sends it again, the poller asks again), so
// it is handled once the old one is done. Either way the caller hears of the conflict.
// Every start of a handler is counted here before the handler runs, so an update that takes the
// process down with it (a crash, out of memory, a blocked event loop) cannot do so forever. With
// several instances (PostgreSQL), a start counts only while this instance holds the chat's lease
// (chat-leases.ts): the fence that keeps a chat with one instance at a time. Storing waits for the
// disk; the bookkeeping after it (starts, completions, drops, failures) goes to the database's
// bookkeeping connections (database.ts), whose commits do not.

import type { Update } from 'grammy/types';
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import { chatKeyOf } from '../core/update-schema.js';
import type { Database, InboxRow } from '../db/schema.js';
import { Batcher } from '../lib/batcher.js';
import { chunks } from '../lib/chunks.js';

/** PostgreSQL's clock in epoch milliseconds: leases compare against one clock, not each instance's. */
export const DATABASE_NOW = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

export interface InboxEntry {
  readonly updateId: number;
  readonly chatKey: string;
  readonly update: Update;
  /** Handlings started so far, kept across restarts: counted before each one runs. */
  attempts: number;
  /** True when this entry was handled before (a retry, or resumed after a restart). */
  resumed: boolean;
}

export interface InboxOptions {
  /** SQLite: counts a start on the spot instead of after a turn of the event loop. */
  runNow?: (query: CompiledQuery) => void;
  /** PostgreSQL, several instances: this instance's id; a start counts only under its lease. */
  owner?: string | undefined;
  /** Where starts, completions, drops and failures are written (DatabaseHandle.bookkeeping). */
  bookkeeping?: Kysely<Database>;
}

export class Inbox {
  private readonly inserts = new Batcher((updates: Serialised[]) => this.insert(updates));
  private readonly starts = new Batcher(async (updateIds: number[]) => {
    if (this.owner === undefined) {
      await this.bookkeeping
        .updateTable('telegram_updates')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('update_id', 'in', updateIds)
        .execute();
      return updateIds.map(() => true);
    }
    const started = await this.bookkeeping
      .updateTable('telegram_updates')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('update_id', 'in', updateIds)
      .where('status', '=', 'pending')
      .where('chat_key', 'in', (eb) =>
        eb
          .selectFrom('chat_leases')
          .select('chat_key')
          .where('owner', '=', this.owner as string)
          .where('until', '>', DATABASE_NOW),
      )
      // An earlier update of the chat stored by another instance and not yet queued here goes first.
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('telegram_updates as earlier')
              .select('earlier.update_id')
              .whereRef('earlier.chat_key', '=', 'telegram_updates.chat_key')
              .whereRef('earlier.update_id', '<', 'telegram_updates.update_id')
              .where('earlier.status', '=', 'pending'),
          ),
        ),
      )
      .returning('update_id')
      .execute();
    const ids = new Set(started.map((row) => Number(row.update_id)));
    return updateIds.map((id) => ids.has(id));
  });
  private readonly drops = new Batcher(async (drops: { updateId: number; reason: string }[]) => {
    const now = Date.now();
    // One statement per reason: a flood drops many updates for the same one.
    const byReason = new Map<string, number[]>();
    for (const { updateId, reason } of drops) byReason.set(reason, [...(byReason.get(reason) ?? []), updateId]);
    for (const [reason, ids] of byReason) {
      await this.bookkeeping
        .updateTable('telegram_updates')
        .set({ status: 'dropped', last_error: reason, handled_at: now })
        .where('update_id', 'in', ids)
        .where('status', '=', 'pending')
        .execute();
    }
    return drops;
  });
  private readonly completions = new Batcher(async (updateIds: number[]) => {
    await this.bookkeeping
      .updateTable('telegram_updates')
      .set({ status: 'done', handled_at: Date.now() })
      .where('update_id', 'in', updateIds)
      .execute();
    return updateIds;
  });

  private readonly runNow: ((query: CompiledQuery) => void) | undefined;
  private readonly owner: string | undefined;
  private readonly bookkeeping: Kysely<Database>;

  constructor(
    private readonly db: Kysely<Database>,
    options: InboxOptions = {},
  ) {
    this.runNow = options.runNow;
    this.owner = options.owner;
    this.bookkeeping = options.bookkeeping ?? db;
    this.countStart = db
      .updateTable('telegram_updates')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('update_id', '=', 0)
      .compile();
  }

  /** Compiled once; the update_id is its last parameter. */
  private readonly countStart: CompiledQuery;

  /**
   * Stores an update; `stored` is true when it is new, false when its update_id was already stored.
   * `conflicting`: that update_id was stored with other content (see the header). Inserts arriving
   * in the same turn of the event loop share one statement (group commit).
   */
  async store(update: Update): Promise<StoreResult> {
    // Serialised here, not in the batch: one update that cannot be (too deep) fails alone.
    const { stored, conflicting } = await this.inserts.add({ update, payload: JSON.stringify(update) });
    return {
      stored,
      conflicting,
      entry: { updateId: update.update_id, chatKey: chatKeyOf(update), update, attempts: 0, resumed: false },
    };
  }

  private async insert(batch: Serialised[]): Promise<Stored[]> {
    const updates = batch.map((item) => item.update);
    // The first of several copies in one batch is the one stored; the others are duplicates.
    const firstIndex = new Map<number, number>();
    updates.forEach((update, index) => {
      if (!firstIndex.has(update.update_id)) firstIndex.set(update.update_id, index);
    });
    const now = Date.now();
    const inserted = await this.db
      .insertInto('telegram_updates')
      .values(
        [...firstIndex.values()].map((index) => {
          const { update, payload } = batch[index] as Serialised;
          return {
            update_id: update.update_id,
            chat_key: chatKeyOf(update),
            payload,
            status: 'pending' as const,
            attempts: 0,
            received_at: now,
          };
        }),
      )
      .onConflict((oc) => oc.column('update_id').doNothing())
      .returning('update_id')
      .execute();
    const insertedIds = new Set(inserted.map((row) => Number(row.update_id)));
    const repeated = [...firstIndex.values()]
      .map((index) => batch[index] as Serialised)
      .filter(({ update }) => !insertedIds.has(update.update_id));
    const conflicts = repeated.length > 0 ? await this.settleConflicts(repeated) : new Map<number, boolean>();
    return updates.map((update, index) => {
      if (firstIndex.get(update.update_id) !== index) return { stored: false, conflicting: false };
      const replaced = conflicts.get(update.update_id);
      return { stored: insertedIds.has(update.update_id) || replaced === true, conflicting: replaced !== undefined };
    });
  }

  /**
   * For update_ids already stored: which were stored with other content (the key), and whether the
   * new content replaced a handled one (the value). Same content is a re-delivery and is left out.
   */
  private async settleConflicts(repeated: Serialised[]): Promise<Map<number, boolean>> {
    const conflicts = new Map<number, boolean>();
    for (const part of chunks(repeated)) {
      const rows = await this.db
        .selectFrom('telegram_updates')
        .select(['update_id', 'payload', 'status'])
        .where(
          'update_id',
          'in',
          part.map(({ update }) => update.update_id),
        )
        .execute();
      const stored = new Map(rows.map((row) => [Number(row.update_id), row]));
      for (const { update, payload } of part) {
        const row = stored.get(update.update_id);
        if (!row || row.payload === payload) continue;
        conflicts.set(update.update_id, row.status !== 'pending' && (await this.replace(update, payload)));
      }
    }
    return conflicts;
  }

  /** Puts a new update in the place of a handled one with the same id; false if it became pending meanwhile. */
  private replace(update: Update, payload: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('telegram_updates')
        .set({
          chat_key: chatKeyOf(update),
          payload,
          status: 'pending',
          attempts: 0,
          last_error: null,
          received_at: Date.now(),
          handled_at: null,
        })
        .where('update_id', '=', update.update_id)
        .where('status', '!=', 'pending')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      // The journal of the old update would otherwise be replayed as if the new one had made those calls.
      await trx.deleteFrom('telegram_calls').where('update_id', '=', update.update_id).execute();
      return true;
    });
  }

  /** Everything not yet handled, oldest first: what a restart resumes. */
  async unfinished(): Promise<InboxEntry[]> {
    const rows = await this.db
      .selectFrom('telegram_updates')
      .selectAll()
      .where('status', '=', 'pending')
      .orderBy('update_id')
      .execute();
    return rows.map(toEntry);
  }

  /**
   * Counts a handling as started, durably, before it runs (group commit with the other starts of
   * the same moment). Only a process that dies while handling leaves such a count unmatched.
   * False: refused, as the update is no longer pending or the chat's lease is not this instance's.
   */
  async markStarted(updateId: number): Promise<boolean> {
    if (!this.runNow) return this.starts.add(updateId);
    // Measured: waiting a turn for the group commit, then for the one connection, held every
    // handling back long enough to cap throughput under load; the write itself takes microseconds.
    const { parameters } = this.countStart;
    this.runNow({ ...this.countStart, parameters: [...parameters.slice(0, -1), updateId] });
    return true;
  }

  /** Takes a pending update out of the queue for good, with the reason (recorded, never silent). */
  async markDropped(updateId: number, reason: string): Promise<void> {
    await this.settle(updateId, this.drops.add({ updateId, reason }));
  }

  /**
   * Whether an update is being marked dropped or failed: still pending in the table for a moment,
   * and not to be queued again by whoever reads it there (chat-leases.ts).
   */
  settling(updateId: number): boolean {
    return this.settlingIds.has(updateId);
  }

  private readonly settlingIds = new Set<number>();

  private async settle(updateId: number, write: Promise<unknown>): Promise<void> {
    this.settlingIds.add(updateId);
    try {
      await write;
    } finally {
      this.settlingIds.delete(updateId);
    }
  }

  /** Batched like inserts: losing a completion to a crash only means a replay, which the call journal makes harmless. */
  async markDone(updateId: number): Promise<void> {
    await this.completions.add(updateId);
  }

  async recordFailure(updateId: number, error: string, final: boolean): Promise<void> {
    const write = this.bookkeeping
      .updateTable('telegram_updates')
      .set({
        last_error: error.slice(0, 2000),
        ...(final ? { status: 'failed', handled_at: Date.now() } : {}),
      })
      .where('update_id', '=', updateId)
      .execute();
    await (final ? this.settle(updateId, write) : write);
  }

  async backlog(): Promise<number> {
    const row = await this.db
      .selectFrom('telegram_updates')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Updates from one chat not handled yet: `omnicore chat` waits for these before it exits. */
  async pendingIn(chatKey: string): Promise<number> {
    const row = await this.db
      .selectFrom('telegram_updates')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'pending')
      .where('chat_key', '=', chatKey)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Drops handled updates (and their call journal) older than the cut-off. */
  async purge(olderThan: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const old = trx
        .selectFrom('telegram_updates')
        .select('update_id')
        .where('status', '!=', 'pending')
        .where('handled_at', '<', olderThan);
      await trx.deleteFrom('telegram_calls').where('update_id', 'in', old).execute();
      const result = await trx
        .deleteFrom('telegram_updates')
        .where('status', '!=', 'pending')
        .where('handled_at', '<', olderThan)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}

export interface StoreResult extends Stored {
  readonly entry: InboxEntry;
}

interface Stored {
  /** New (or replacing a handled update with the same id): to be handled. */
  readonly stored: boolean;
  /** The update_id was stored with other content. */
  readonly conflicting: boolean;
}

interface Serialised {
  readonly update: Update;
  readonly payload: string;
}

function toEntry(row: InboxRow): InboxEntry {
  return {
    updateId: Number(row.update_id),
    chatKey: row.chat_key,
    update: JSON.parse(row.payload) as Update,
    attempts: row.attempts,
    resumed: true,
  };
}

/** The highest update_id stored: a Bot API of our own (the emulator) numbers on from it. */
export async function lastStoredUpdateId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('telegram_updates')
    .select((eb) => eb.fn.max('update_id').as('last'))
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}
