// Per-user state (`user_state`): chosen language and conversation context, kept across restarts.
// Writes are read-modify-write with a version check, so two chats (or two instances) updating the
// same user never lose each other's change; within one process they also queue behind each other.
// Reads, one per update, come from a small cache that this process's writes keep current; a change
// made by another instance shows here within CACHE_TTL_MS. The reads that miss it in one turn of the
// event loop share one statement (on PostgreSQL, a round trip each was most of an update's queries).
import type { Kysely } from 'kysely';
import { LANGUAGES, type Language } from '../config/settings-catalog.js';
import type { Database } from '../db/schema.js';
import { Batcher } from '../lib/batcher.js';
import { KeyedQueue } from '../lib/keyed-queue.js';

export interface UserState {
  language: Language | null;
  context: Record<string, unknown>;
}

const EMPTY: UserState = Object.freeze({ language: null, context: Object.freeze({}) });
const MAX_CONFLICT_RETRIES = 50;
const CACHE_TTL_MS = 5000;
const CACHE_SIZE = 10_000;

interface Versioned {
  state: UserState;
  version: number;
}

interface Cached {
  state: UserState;
  at: number;
  /** When it was cached, in this store's own order of events (see `get`). */
  seq: number;
}

export class UserStateStore {
  private readonly queue = new KeyedQueue<number>();
  private readonly cache = new Map<number, Cached>();
  private readonly reads = new Batcher((userIds: number[]) => this.readMany(userIds));
  private seq = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async get(userId: number): Promise<UserState> {
    const cached = this.cache.get(userId);
    if (cached && Date.now() - cached.at < CACHE_TTL_MS) return cached.state;
    const askedAt = ++this.seq;
    const state = (await this.reads.add(userId))?.state ?? EMPTY;
    // A write of this process (or a newer read) landed while this read was out: its row is older.
    const newer = this.cache.get(userId);
    if (newer && newer.seq > askedAt) return newer.state;
    this.remember(userId, state);
    return state;
  }

  private remember(userId: number, state: UserState): void {
    // Map keeps insertion order: re-inserting moves a user to the end, so the first key is the oldest.
    this.cache.delete(userId);
    this.cache.set(userId, { state, at: Date.now(), seq: ++this.seq });
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as number);
  }

  /** Applies `change` to the user's current state and stores the result. */
  update(userId: number, change: (state: UserState) => UserState): Promise<UserState> {
    return this.queue.run(userId, async () => {
      const state = await this.write(userId, change);
      this.remember(userId, state);
      return state;
    });
  }

  private async write(userId: number, change: (state: UserState) => UserState): Promise<UserState> {
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      const current = await this.read(userId);
      const state = change(current?.state ?? EMPTY);
      const row = { language: state.language, context: JSON.stringify(state.context), updated_at: Date.now() };
      if (!current) {
        const inserted = await this.db
          .insertInto('user_state')
          .values({ user_id: userId, version: 1, ...row })
          .onConflict((oc) => oc.column('user_id').doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return state;
        await conflictPause();
        continue;
      }
      const updated = await this.db
        .updateTable('user_state')
        .set({ ...row, version: current.version + 1 })
        .where('user_id', '=', userId)
        .where('version', '=', current.version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return state;
      await conflictPause();
    }
    throw new Error(`user_state for ${userId}: too many concurrent writers`);
  }

  private async read(userId: number): Promise<Versioned | undefined> {
    return (await this.readMany([userId]))[0];
  }

  private async readMany(userIds: number[]): Promise<(Versioned | undefined)[]> {
    const rows = await this.db
      .selectFrom('user_state')
      .select(['user_id', 'language', 'context', 'version'])
      .where('user_id', 'in', [...new Set(userIds)])
      .execute();
    const byUser = new Map(rows.map((row) => [Number(row.user_id), row]));
    return userIds.map((userId) => {
      const row = byUser.get(userId);
      if (!row) return undefined;
      const language = (LANGUAGES as readonly string[]).includes(row.language ?? '')
        ? (row.language as Language)
        : null;
      return { state: { language, context: JSON.parse(row.context) as Record<string, unknown> }, version: row.version };
    });
  }
}

/** A short random pause after losing a write race, so two writers stop colliding in lock-step. */
function conflictPause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
}

/** Where the conversation engine keeps its per-user memory inside `user_state.context`. */
export const CONVERSATION_KEY = 'conversation';
