// The durable inbox (`telegram_updates`): an update is stored here before Telegram is told we have it,
// and stays "pending" until its handler succeeds. A repeated update_id is recognised and not stored again.
// Every start of a handler is counted here before the handler runs, so an update that takes the
// process down with it (a crash, out of memory, a blocked event loop) cannot do so forever.

import type { Update } from 'grammy/types';
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database, InboxRow } from '../db/schema.js';
import { Batcher } from '../lib/batcher.js';
import { chatKeyOf } from './update-schema.js';

export interface InboxEntry {
  readonly updateId: number;
  readonly chatKey: string;
  readonly update: Update;
  /** Handlings started so far, kept across restarts: counted before each one runs. */
  attempts: number;
  /** True when this entry was handled before (a retry, or resumed after a restart). */
  resumed: boolean;
}

export class Inbox {
  private readonly inserts = new Batcher((updates: Serialised[]) => this.insert(updates));
  private readonly starts = new Batcher(async (updateIds: number[]) => {
    await this.db
      .updateTable('telegram_updates')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('update_id', 'in', updateIds)
      .execute();
    return updateIds;
  });
  private readonly drops = new Batcher(async (drops: { updateId: number; reason: string }[]) => {
    const now = Date.now();
    // One statement per reason: a flood drops many updates for the same one.
    const byReason = new Map<string, number[]>();
    for (const { updateId, reason } of drops) byReason.set(reason, [...(byReason.get(reason) ?? []), updateId]);
    for (const [reason, ids] of byReason) {
      await this.db
        .updateTable('telegram_updates')
        .set({ status: 'dropped', last_error: reason, handled_at: now })
        .where('update_id', 'in', ids)
        .where('status', '=', 'pending')
        .execute();
    }
    return drops;
  });
  private readonly completions = new Batcher(async (updateIds: number[]) => {
    await this.db
      .updateTable('telegram_updates')
      .set({ status: 'done', handled_at: Date.now() })
      .where('update_id', 'in', updateIds)
      .execute();
    return updateIds;
  });

  /** `runNow` (SQLite): counts a start on the spot instead of after a turn of the event loop. */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly runNow?: (query: CompiledQuery) => void,
  ) {
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
   * Inserts arriving in the same turn of the event loop share one statement (group commit).
   */
  async store(update: Update): Promise<{ stored: boolean; entry: InboxEntry }> {
    // Serialised here, not in the batch: one update that cannot be (too deep) fails alone.
    const stored = await this.inserts.add({ update, payload: JSON.stringify(update) });
    return {
      stored,
      entry: { updateId: update.update_id, chatKey: chatKeyOf(update), update, attempts: 0, resumed: false },
    };
  }

  private async insert(batch: Serialised[]): Promise<boolean[]> {
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
    return updates.map(
      (update, index) => insertedIds.has(update.update_id) && firstIndex.get(update.update_id) === index,
    );
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
   */
  async markStarted(updateId: number): Promise<void> {
    if (!this.runNow) {
      await this.starts.add(updateId);
      return;
    }
    // Measured: waiting a turn for the group commit, then for the one connection, held every
    // handling back long enough to cap throughput under load; the write itself takes microseconds.
    const { sql, parameters } = this.countStart;
    this.runNow({ ...this.countStart, parameters: [...parameters.slice(0, -1), updateId], sql });
  }

  /** Takes a pending update out of the queue for good, with the reason (recorded, never silent). */
  async markDropped(updateId: number, reason: string): Promise<void> {
    await this.drops.add({ updateId, reason });
  }

  /** Batched like inserts: losing a completion to a crash only means a replay, which the call journal makes harmless. */
  async markDone(updateId: number): Promise<void> {
    await this.completions.add(updateId);
  }

  async recordFailure(updateId: number, error: string, final: boolean): Promise<void> {
    await this.db
      .updateTable('telegram_updates')
      .set({
        last_error: error.slice(0, 2000),
        ...(final ? { status: 'failed', handled_at: Date.now() } : {}),
      })
      .where('update_id', '=', updateId)
      .execute();
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
