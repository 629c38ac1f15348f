// Makes handling an update safe to repeat. Every Bot API call with an effect made while handling an
// update is numbered and its result written to `telegram_calls`; when the same update is handled
// again (a retry, or a resume after a crash) calls already made return their recorded result
// instead of reaching Telegram a second time. The one window left is a crash between Telegram's
// answer and our write: a few milliseconds, where no platform can know.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

interface HandlingContext {
  readonly updateId: number;
  /** Only a repeated handling can find earlier calls; a first one skips the look-up. */
  readonly replay: boolean;
  seq: number;
}

/** Methods that only read: repeating them is harmless, so they are not journaled. */
const READ_ONLY = /^get|^answerInlineQuery$/;

export class CallJournal {
  private readonly storage = new AsyncLocalStorage<HandlingContext>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly onCall: (method: string, outcome: 'ok' | 'error' | 'replayed') => void = () => {},
  ) {}

  /** Runs `fn` as the handling of one update; calls it makes are journaled under that update. */
  run<T>(updateId: number, replay: boolean, fn: () => Promise<T>): Promise<T> {
    return this.storage.run({ updateId, replay, seq: 0 }, fn);
  }

  readonly transformer: Transformer = async (prev, method, payload, signal) => {
    const context = this.storage.getStore();
    if (!context || READ_ONLY.test(method)) return prev(method, payload, signal);
    const seq = ++context.seq;
    if (context.replay) {
      const earlier = await this.db
        .selectFrom('telegram_calls')
        .select(['method', 'result'])
        .where('update_id', '=', context.updateId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      if (earlier && earlier.method === method) {
        this.onCall(method, 'replayed');
        return { ok: true, result: JSON.parse(earlier.result) };
      }
    }
    const response = await prev(method, payload, signal);
    this.onCall(method, response.ok ? 'ok' : 'error');
    if (response.ok) {
      await this.db
        .insertInto('telegram_calls')
        .values({
          update_id: context.updateId,
          seq,
          method,
          result: JSON.stringify(response.result ?? null),
          at: Date.now(),
        })
        .onConflict((oc) => oc.columns(['update_id', 'seq']).doNothing())
        .execute();
    }
    return response;
  };
}
