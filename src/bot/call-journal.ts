// Makes handling an update safe to repeat. Every Bot API call with an effect made through `ctx.api`
// while handling an update is numbered and its result written to `telegram_calls`; when the same
// update is handled again (a retry, or a resume after a crash) calls already made return their
// recorded result instead of reaching Telegram a second time. The one window left is a call in
// flight when the process dies: Telegram may have acted on it, and no platform can know.
import type { Context, MiddlewareFn, Transformer } from 'grammy';
import type { Update } from 'grammy/types';
import type { Insertable, Kysely } from 'kysely';
import type { Database, TelegramCallsTable } from '../db/schema.js';
import { Batcher } from '../lib/batcher.js';

interface Handling {
  readonly updateId: number;
  /** Only a repeated handling can find earlier calls; a first one skips the look-up. */
  readonly replay: boolean;
  seq: number;
}

export type CallOutcome = 'ok' | 'error' | 'replayed';

/** Methods that only read: repeating them is harmless, so they are not journaled. */
const READ_ONLY = /^get|^answerInlineQuery$/;

export class CallJournal {
  // Keyed by the update object itself, which grammY hands to the context unchanged.
  private readonly handling = new WeakMap<Update, Handling>();
  private closed = false;
  // Calls answered in the same turn of the event loop are recorded by one statement.
  private readonly records = new Batcher(async (rows: Insertable<TelegramCallsTable>[]) => {
    await this.db
      .insertInto('telegram_calls')
      .values(rows)
      .onConflict((oc) => oc.columns(['update_id', 'seq']).doNothing())
      .execute();
    return rows;
  });

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onCall: (method: string, outcome: CallOutcome) => void = () => {},
  ) {}

  /** Runs `handle` as the handling of `update`; calls its middleware makes are journaled under it. */
  async run<T>(update: Update, replay: boolean, handle: () => Promise<T>): Promise<T> {
    this.handling.set(update, { updateId: update.update_id, replay, seq: 0 });
    try {
      return await handle();
    } finally {
      this.handling.delete(update);
    }
  }

  /**
   * Writes what is still pending, and records nothing after: a call a plugin makes past its
   * handling (from a timer, say) can still be answered while the platform stops, after the
   * database has closed.
   */
  close(): Promise<void> {
    this.closed = true;
    return this.records.drain();
  }

  /** First in the bot's middleware: puts the journal in front of this update's own `ctx.api`. */
  middleware(): MiddlewareFn<Context> {
    return (ctx, next) => {
      const handling = this.handling.get(ctx.update);
      if (handling) ctx.api.config.use(this.transformer(handling));
      return next();
    };
  }

  private transformer(handling: Handling): Transformer {
    return async (prev, method, payload, signal) => {
      if (READ_ONLY.test(method)) return prev(method, payload, signal);
      const seq = ++handling.seq;
      if (handling.replay) {
        const earlier = await this.db
          .selectFrom('telegram_calls')
          .select(['method', 'result'])
          .where('update_id', '=', handling.updateId)
          .where('seq', '=', seq)
          .executeTakeFirst();
        if (earlier && earlier.method === method) {
          this.onCall(method, 'replayed');
          return { ok: true, result: JSON.parse(earlier.result) };
        }
      }
      const response = await prev(method, payload, signal);
      this.onCall(method, response.ok ? 'ok' : 'error');
      if (response.ok && !this.closed) {
        await this.records.add({
          update_id: handling.updateId,
          seq,
          method,
          result: JSON.stringify(response.result ?? null),
          at: Date.now(),
        });
      }
      return response;
    };
  }
}
