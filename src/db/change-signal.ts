// Tells the other processes on the same database (instances, the CLI) that a table they mirror in
// memory changed, over Redis pub/sub, so that they re-read it at once instead of at their next poll.
// The poll stays: a message lost while Redis is away only delays a change. Without Redis, a no-op.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../config/logger.js';
import { safeJson } from '../lib/safe-json.js';

/** What a message says changed: each has its poll and its refresh in the processes that follow it. */
export type ChangeTopic = 'settings' | 'plugins' | 'bans' | 'experiments';

export interface ChangeSignal {
  /** Tells every other process that `topic` changed; never throws (the poll covers a lost message). */
  publish(topic: ChangeTopic): void;
  /** Calls `changed` when another process publishes `topic`; returns how to stop. */
  subscribe(topic: ChangeTopic, changed: () => void): () => void;
  close(): Promise<void>;
}

/** The prefix of every key and channel OMNICore uses in Redis, unless a test gives its own. */
export const REDIS_KEY_PREFIX = 'omnicore';

export const noChangeSignal: ChangeSignal = {
  publish: () => {},
  subscribe: () => () => {},
  close: async () => {},
};

/** How long a change waits for Redis to answer before it is left to the poll. */
const PUBLISH_WAIT_MS = 1000;

const messageSchema = z.object({ topic: z.enum(['settings', 'plugins', 'bans', 'experiments']), origin: z.string() });

/**
 * Opens the publishing connection, and the subscribing one at the first subscription (a subscribed
 * ioredis connection accepts no other command; the CLI only publishes). Waits for neither: the
 * subscription is made whenever Redis answers, and made again after each reconnection.
 */
export async function openChangeSignal(options: {
  url: string;
  keyPrefix?: string | undefined;
  log: Logger;
}): Promise<ChangeSignal> {
  // Loaded here only: without REDIS_URL the client library is never needed.
  const { Redis } = await import('ioredis');
  const channel = `${options.keyPrefix ?? REDIS_KEY_PREFIX}:changes`;
  // Messages this process sent come back to it; it applied those changes already.
  const origin = randomUUID();
  const watch = outageReporter(options.log);
  const publisher = watch(new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }));
  const listeners = new Map<ChangeTopic, Set<() => void>>();
  let subscriber: Redis | undefined;

  const listen = (): Redis => {
    const connection = watch(new Redis(options.url, { maxRetriesPerRequest: null }));
    connection.on('message', (from: string, text: string) => {
      if (from !== channel) return;
      const message = messageSchema.safeParse(safeJson(text));
      if (!message.success || message.data.origin === origin) return;
      for (const changed of listeners.get(message.data.topic) ?? []) changed();
    });
    connection.subscribe(channel).catch(() => {
      // Reported by the outage reporter; ioredis subscribes again once it reconnects.
    });
    return connection;
  };

  // What is still being sent: a CLI command closes right after its change and must not cut it off.
  const sending = new Set<Promise<unknown>>();
  return {
    publish(topic) {
      const sent = ready(publisher)
        .then(() => publisher.publish(channel, JSON.stringify({ topic, origin })))
        .catch(() => {});
      sending.add(sent);
      void sent.finally(() => sending.delete(sent));
    },
    subscribe(topic, changed) {
      subscriber ??= listen();
      const set = listeners.get(topic) ?? new Set();
      listeners.set(topic, set);
      set.add(changed);
      return () => set.delete(changed);
    },
    async close() {
      listeners.clear();
      await Promise.allSettled(sending);
      publisher.disconnect();
      subscriber?.disconnect();
    },
  };
}

/** Resolves once the connection is up, waiting for it at most PUBLISH_WAIT_MS. */
async function ready(connection: Redis): Promise<void> {
  if (connection.status === 'ready') return;
  await once(connection, 'ready', { signal: AbortSignal.timeout(PUBLISH_WAIT_MS) });
}

/** One line when Redis goes away and one when it is back, not one per reconnection attempt. */
function outageReporter(log: Logger): (connection: Redis) => Redis {
  const connections: Redis[] = [];
  let down = false;
  return (connection) => {
    connections.push(connection);
    connection.on('error', (error) => {
      if (down) return;
      down = true;
      log.warn({ err: error }, 'change notifications paused; other processes’ changes arrive by polling');
    });
    connection.on('ready', () => {
      if (!down || connections.some((other) => other.status !== 'ready')) return;
      down = false;
      log.info('change notifications resumed');
    });
    return connection;
  };
}
