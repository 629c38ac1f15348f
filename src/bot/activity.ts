// Records who used the bot and how: a usage event per handled update and the `users` row of every
// sender. Buffered and written in one transaction per interval, off the update's hot path.
import type { User } from 'grammy/types';
import type { Insertable, Kysely } from 'kysely';
import type { Database, NewUsageEvent, UsersTable } from '../db/schema.js';
import { chunks } from '../lib/chunks.js';
import { type Repetition, repeat } from '../lib/repeat.js';

interface Sighting {
  user: User;
  firstAt: number;
  lastAt: number;
  messages: number;
}

export class ActivityRecorder {
  private events: NewUsageEvent[] = [];
  private sightings = new Map<number, Sighting>();
  private flushes: Repetition | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: { flushMs: number; maxBuffered: number; onError: (error: unknown) => void },
  ) {}

  start(): void {
    this.flushes = repeat(() => this.flush(), {
      every: this.options.flushMs,
      firstAfterMs: this.options.flushMs,
      onError: this.options.onError,
    });
  }

  recordEvent(event: NewUsageEvent): void {
    this.events.push(event);
    if (this.events.length >= this.options.maxBuffered) void this.flush();
  }

  sawUser(user: User, isMessage: boolean, at = Date.now()): void {
    const seen = this.sightings.get(user.id);
    const messages = (seen?.messages ?? 0) + (isMessage ? 1 : 0);
    this.sightings.set(user.id, { user, firstAt: seen?.firstAt ?? at, lastAt: at, messages });
  }

  /** Writes a user at once (used by /start, where registration should not wait for the next flush). */
  async registerNow(user: User): Promise<void> {
    const seen = this.sightings.get(user.id);
    this.sightings.delete(user.id);
    const now = Date.now();
    await upsertUsers(this.db, [seen ?? { user, firstAt: now, lastAt: now, messages: 0 }]);
  }

  /** Writes what is buffered; concurrent calls queue so rows are never written twice. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeBuffered());
    return this.flushing;
  }

  async stop(): Promise<void> {
    await this.flushes?.stop();
    await this.flush();
  }

  private async writeBuffered(): Promise<void> {
    const events = this.events;
    const sightings = [...this.sightings.values()];
    if (events.length === 0 && sightings.length === 0) return;
    this.events = [];
    this.sightings = new Map();
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const group of chunks(events)) await trx.insertInto('usage_events').values(group).execute();
        for (const group of chunks(sightings)) await upsertUsers(trx, group);
      });
    } catch (error) {
      this.options.onError(error);
    }
  }
}

/** A `users` row for a Telegram user seen between `firstAt` and `lastAt`. */
export function userRow(user: User, firstAt: number, lastAt: number, messages: number): Insertable<UsersTable> {
  return {
    id: user.id,
    username: user.username ?? null,
    first_name: user.first_name,
    last_name: user.last_name ?? null,
    language_code: user.language_code ?? null,
    is_bot: user.is_bot ? 1 : 0,
    first_seen: firstAt,
    last_seen: lastAt,
    message_count: messages,
  };
}

/** One statement for every user seen since the last flush. */
async function upsertUsers(db: Kysely<Database>, sightings: Sighting[]): Promise<void> {
  if (sightings.length === 0) return;
  await db
    .insertInto('users')
    .values(sightings.map(({ user, firstAt, lastAt, messages }) => userRow(user, firstAt, lastAt, messages)))
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        username: eb.ref('excluded.username'),
        first_name: eb.ref('excluded.first_name'),
        last_name: eb.ref('excluded.last_name'),
        language_code: eb.ref('excluded.language_code'),
        last_seen: eb.ref('excluded.last_seen'),
        message_count: eb('users.message_count', '+', eb.ref('excluded.message_count')),
        // Seen after the bot was blocked: they unblocked it. A sighting from before keeps the mark.
        blocked_bot_at: eb
          .case()
          .when('users.blocked_bot_at', '<', eb.ref('excluded.last_seen'))
          .then(null)
          .else(eb.ref('users.blocked_bot_at'))
          .end(),
      })),
    )
    .execute();
}
