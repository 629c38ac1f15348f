// Sends a broadcast's message to one chat and counts what came of it, for either queue. The record
// is read at most every 250 ms per broadcast, so that a cancel stops the sending within that time.
import type { BulkApi, PluginAudience } from '../../plugins/api.js';
import { sendBroadcastMessage } from './message.js';
import { type Answer, classify } from './outcome.js';
import type { Broadcast, Broadcasts } from './store.js';

const FRESH_MS = 250;

export type Delivered = Answer | { kind: 'skipped' };

export class Deliverer {
  private readonly cache = new Map<string, { broadcast: Broadcast; at: number }>();

  constructor(
    private readonly broadcasts: Broadcasts,
    private readonly api: () => BulkApi,
    private readonly audience: () => PluginAudience,
    /** Told when a count finished a broadcast. */
    readonly ended: (broadcast: Broadcast) => Promise<void>,
  ) {}

  async current(id: string): Promise<Broadcast | undefined> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.at < FRESH_MS) return cached.broadcast;
    const broadcast = await this.broadcasts.get(id);
    if (broadcast) this.cache.set(id, { broadcast, at: Date.now() });
    else this.cache.delete(id);
    return broadcast;
  }

  /**
   * One attempt; a `done` answer is counted before it is returned, the others are the caller's to
   * handle. `cursor`, when given, is asked after the answer for the chat id up to which all are answered.
   */
  async deliver(id: string, chatId: number, cursor?: (answered: number) => number): Promise<Delivered> {
    const broadcast = await this.current(id);
    if (!broadcast || broadcast.status === 'cancelled' || broadcast.status === 'done') return { kind: 'skipped' };
    let answer: Answer;
    try {
      await sendBroadcastMessage(this.api(), chatId, broadcast.message);
      answer = { kind: 'done', delivery: 'sent' };
    } catch (error) {
      answer = classify(error);
    }
    if (answer.kind === 'done') await this.record(id, chatId, answer.delivery, answer.error, cursor?.(chatId));
    return answer;
  }

  async record(
    id: string,
    chatId: number,
    delivery: 'sent' | 'blocked' | 'failed',
    error?: string,
    cursor?: number,
  ): Promise<void> {
    if (delivery === 'blocked') await this.audience().markBlocked(chatId);
    const counted = await this.broadcasts.count(id, delivery, cursor, error);
    if (counted?.status === 'done') await this.ended(counted);
  }
}
