// What both ways of sending offer the broadcast's controls: BullMQ across instances when REDIS_URL
// is set (redis-sender.ts), else the plugin's durable ctx.jobs queue on one instance (jobs-sender.ts).
import type { Broadcast } from './store.js';

export interface Sender {
  readonly kind: 'redis' | 'jobs';
  /** Starts delivering a broadcast just marked `sending`. */
  start(broadcast: Broadcast): Promise<void>;
  pause(broadcast: Broadcast): Promise<void>;
  resume(broadcast: Broadcast): Promise<void>;
  /** Drops what is still queued for it; what runs now is skipped by the deliverer. */
  cancel(broadcast: Broadcast): Promise<void>;
  /** Clears what the broadcast left behind once it ended. */
  ended(broadcast: Broadcast): Promise<void>;
  open(): Promise<void>;
  close(): Promise<void>;
}
