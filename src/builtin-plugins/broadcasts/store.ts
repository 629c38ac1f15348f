// Broadcasts as the plugin keeps them, one record each in its storage (`broadcast:<id>`): the
// message, the segment, the status and the counts, changed only through atomic updates so that
// every instance's workers may count into the same record.
import { randomBytes } from 'node:crypto';
import type { PluginStorage } from '../../plugins/api.js';
import type { BroadcastMessage } from './message.js';
import type { Delivery } from './outcome.js';

export const STATUSES = ['queued', 'sending', 'paused', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof STATUSES)[number];

export interface Broadcast {
  id: string;
  message: BroadcastMessage;
  segment: string;
  status: BroadcastStatus;
  /** Who asked: `telegram:<id>` or `panel:<username>`. */
  createdBy: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Recipients: counted at the start, then exact once every one was queued (`fannedOut`). */
  total: number;
  sent: number;
  failed: number;
  /** Refused with 403 while sending (the user blocked the bot); marked on the user too. */
  blocked: number;
  /** Left out at the start because they had blocked the bot already. */
  skippedBlocked: number;
  fannedOut: boolean;
  /** The last chat id handled, for the queue that works through the audience in order (no Redis). */
  cursor: number | null;
  lastError: string | null;
}

export const pending = (b: Broadcast): number => Math.max(0, b.total - b.sent - b.failed - b.blocked);

const key = (id: string) => `broadcast:${id}`;
const UPDATE = { maxAttempts: 100 };

export class Broadcasts {
  constructor(private readonly storage: PluginStorage) {}

  async create(fields: Pick<Broadcast, 'message' | 'segment' | 'createdBy'>): Promise<Broadcast> {
    // Sortable by time, so that the oldest queued one goes next.
    const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
    const broadcast: Broadcast = {
      id,
      ...fields,
      status: 'queued',
      createdAt: Date.now(),
      startedAt: null,
      finishedAt: null,
      total: 0,
      sent: 0,
      failed: 0,
      blocked: 0,
      skippedBlocked: 0,
      fannedOut: false,
      cursor: null,
      lastError: null,
    };
    await this.storage.set(key(id), broadcast);
    return broadcast;
  }

  get(id: string): Promise<Broadcast | undefined> {
    return this.storage.get<Broadcast>(key(id));
  }

  /** Newest first. */
  async list(): Promise<Broadcast[]> {
    const keys = (await this.storage.keys('broadcast:')).sort().reverse();
    const found = await Promise.all(keys.map((k) => this.storage.get<Broadcast>(k)));
    return found.filter((b): b is Broadcast => b !== undefined);
  }

  /** Applies `change` atomically; undefined when there is no such broadcast. */
  async change(id: string, change: (b: Broadcast) => Broadcast): Promise<Broadcast | undefined> {
    if (!(await this.get(id))) return undefined;
    return this.storage.update<Broadcast>(key(id), (current) => finish(change(current as Broadcast)), UPDATE);
  }

  /** Counts one recipient's outcome; `cursor`: every chat up to it is answered (the ordered queue). */
  count(id: string, delivery: Delivery, cursor?: number, error?: string): Promise<Broadcast | undefined> {
    return this.change(id, (b) => ({
      ...b,
      [delivery]: b[delivery] + 1,
      ...(cursor === undefined ? {} : { cursor: Math.max(b.cursor ?? cursor, cursor) }),
      ...(error ? { lastError: error } : {}),
    }));
  }
}

/** A sending broadcast whose recipients were all queued and answered is done. */
function finish(b: Broadcast): Broadcast {
  if ((b.status === 'sending' || b.status === 'paused') && b.fannedOut && pending(b) === 0) {
    return { ...b, status: 'done', finishedAt: Date.now() };
  }
  return b;
}
