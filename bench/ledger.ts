// Keeps the times of one stream: when each update was sent, acknowledged, and answered. A reply
// (sendMessage seen at the fake Bot API) is matched to the oldest unanswered update of its chat;
// replies to chats outside the stream are counted apart, replies with nothing left to answer as doubled.
import type { StreamItem } from './update-stream.js';

interface ChatQueue {
  readonly indexes: number[];
  head: number;
}

export class Ledger {
  readonly sentAt: Float64Array;
  readonly ackAt: Float64Array;
  readonly replyAt: Float64Array;
  readonly status: Uint16Array;
  private readonly chats = new Map<number, ChatQueue>();
  private readonly waiters = new Set<() => void>();
  acknowledged = 0;
  matched = 0;
  /** Replies for a chat of this stream when every update sent there was answered already. */
  doubled = 0;

  constructor(readonly items: readonly StreamItem[]) {
    const size = items.length;
    this.sentAt = new Float64Array(size);
    this.ackAt = new Float64Array(size);
    this.replyAt = new Float64Array(size);
    this.status = new Uint16Array(size);
    for (const item of items) if (!this.chats.has(item.chatId)) this.chats.set(item.chatId, { indexes: [], head: 0 });
  }

  sent(index: number, at: number): void {
    this.sentAt[index] = at;
    const item = this.items[index] as StreamItem;
    (this.chats.get(item.chatId) as ChatQueue).indexes.push(index);
  }

  acked(index: number, status: number, at: number): void {
    this.ackAt[index] = at;
    this.status[index] = status;
    if (status === 200) this.acknowledged++;
    this.wake();
  }

  /** False when the chat is not one of this stream's. */
  reply(chatId: number, at: number): boolean {
    const chat = this.chats.get(chatId);
    if (!chat) return false;
    const index = chat.indexes[chat.head];
    if (index === undefined) {
      this.doubled++;
    } else {
      chat.head++;
      this.replyAt[index] = at;
      this.matched++;
    }
    this.wake();
    return true;
  }

  /** Acknowledged updates that got no reply (so far). */
  get lost(): number {
    let count = 0;
    for (let index = 0; index < this.items.length; index++) {
      if (this.status[index] === 200 && this.replyAt[index] === 0) count++;
    }
    return count;
  }

  /** Resolves when every acknowledged update has its reply, or when no reply came for `quietMs`. */
  async drained(quietMs: number, limitMs: number): Promise<boolean> {
    const deadline = performance.now() + limitMs;
    let lastMatched = -1;
    let lastProgress = performance.now();
    while (this.matched < this.acknowledged || this.acknowledged === 0) {
      const now = performance.now();
      if (this.matched !== lastMatched) {
        lastMatched = this.matched;
        lastProgress = now;
      }
      if (now - lastProgress > quietMs || now > deadline) return false;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, 200);
        this.waiters.add(done);
      });
    }
    return true;
  }

  private wake(): void {
    if (this.waiters.size === 0) return;
    for (const wake of [...this.waiters]) wake();
  }
}
