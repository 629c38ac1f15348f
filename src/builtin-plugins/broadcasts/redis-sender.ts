// Sending with Redis: a BullMQ queue per deployment (the deployment's key prefix), one job per
// recipient with the id `<broadcast>-<chat>` so that queueing again after a restart adds nothing,
// and workers on every instance under one global limiter and one shared schedule at the configured
// rate. A 429 holds the
// whole queue back for its retry_after. Only one broadcast sends at a time, so pausing the queue
// pauses that broadcast. The recipients are queued by a durable ctx.jobs job, page by page.
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PluginContext, PluginRedis } from '../../plugins/api.js';
import type { BroadcastsConfig } from './config.js';
import type { Deliverer } from './deliver.js';
import { Pacer } from './pace.js';
import type { Sender } from './sender.js';
import { SharedPace } from './shared-pace.js';
import type { Broadcasts } from './store.js';

const QUEUE = 'broadcasts';
const FAN_OUT = 'fan-out';
const PAGE = 500;
const NETWORK_ATTEMPTS = 3;
/** A job's wait for its slot is short (a second at most) and is let finish when the worker closes. */
const NEVER = new AbortController().signal;

interface Recipient {
  b: string;
  c: number;
}

/**
 * BullMQ and its Redis client, loaded when the queue opens: every start and every CLI command loads
 * this plugin's code, and most have no Redis or broadcasts off (BullMQ took ~0.4 s of CPU to load).
 */
async function queueLibraries() {
  const [{ Queue, Worker }, { Redis }] = await Promise.all([import('bullmq'), import('ioredis')]);
  return { Queue, Worker, Redis };
}

export function redisSender(
  ctx: PluginContext<BroadcastsConfig>,
  redis: PluginRedis,
  broadcasts: Broadcasts,
  deliverer: Deliverer,
): Sender {
  let queue: Queue<Recipient> | undefined;
  let worker: Worker<Recipient> | undefined;
  let libraries: Awaited<ReturnType<typeof queueLibraries>> | undefined;
  const loaded = () => {
    if (!libraries) throw new Error('the broadcast queue is not open');
    return libraries;
  };
  const connections: Redis[] = [];
  const connect = () => {
    const connection = new (loaded().Redis)(redis.url, { maxRetriesPerRequest: null });
    connections.push(connection);
    return connection;
  };
  // BullMQ's limiter hands out a second's jobs at the start of each window; Telegram counts any
  // sliding second, where two windows' bursts could meet. Spread evenly, they cannot (measured:
  // bursts drew 429s under a cap 20 % above the rate; shorter windows lost 10 % of the rate). The
  // schedule is shared by all instances (shared-pace.ts); the local pacer after it lets this
  // process's messages go one at a time, so that a stalled event loop does not wake to a burst.
  const rate = () => ctx.config.ratePerSecond;
  let shared: SharedPace | undefined;
  const pacer = new Pacer(rate);
  const opened = () => {
    if (!queue) throw new Error('the broadcast queue is not open');
    return queue;
  };

  const handle = async (job: Job<Recipient>): Promise<string> => {
    await shared?.wait(NEVER);
    await pacer.wait(NEVER);
    const answer = await deliverer.deliver(job.data.b, job.data.c);
    if (answer.kind === 'done') return answer.delivery;
    if (answer.kind === 'skipped') return 'skipped';
    if (answer.kind === 'hold') {
      pacer.holdFor(answer.retryAfterMs);
      // Every worker of every instance waits: the limit is the bot's, not this instance's.
      await shared?.holdFor(answer.retryAfterMs);
      await worker?.rateLimit(answer.retryAfterMs);
      throw loaded().Worker.RateLimitError();
    }
    if (job.attemptsMade + 1 >= NETWORK_ATTEMPTS) {
      await deliverer.record(job.data.b, job.data.c, 'failed', answer.error);
      return 'failed';
    }
    throw new Error(answer.error);
  };

  const startWorker = () => {
    const perWindow = rate();
    worker = new (loaded().Worker)<Recipient>(QUEUE, handle, {
      connection: connect(),
      prefix: redis.prefix,
      // A second's jobs all taken at once; the shared schedule spreads them over the second.
      concurrency: Math.min(100, Math.max(4, perWindow)),
      // A window opens only when a job is taken after the last one closed, so windows of a whole
      // second fall behind the rate by that lag (measured: 86 % under load); a tenth shorter, the
      // shared schedule is what holds every instance together to the rate.
      limiter: { max: perWindow, duration: 900 },
    });
    worker.on('error', (error) => ctx.log.warn({ err: error }, 'broadcast worker'));
  };
  const stopWorker = async () => {
    await worker?.close();
    worker = undefined;
  };

  ctx.jobs.define<{ id: string }>(
    FAN_OUT,
    async (run) => {
      const broadcast = await broadcasts.get(run.payload.id);
      if (!broadcast) return 'gone';
      const saved = (run.state ?? { after: Number.MIN_SAFE_INTEGER, queued: 0 }) as { after: number; queued: number };
      let { after, queued } = saved;
      for await (const page of ctx.audience.chats(broadcast.segment, {
        after,
        pageSize: PAGE,
        now: broadcast.startedAt ?? Date.now(),
      })) {
        const current = await broadcasts.get(run.payload.id);
        if (current?.status === 'cancelled') return 'cancelled';
        await opened().addBulk(
          page.map((chat) => ({
            name: 'send',
            data: { b: broadcast.id, c: chat },
            opts: {
              jobId: `${broadcast.id}-${chat}`,
              attempts: NETWORK_ATTEMPTS,
              backoff: { type: 'exponential', delay: 1000 },
              removeOnFail: 1000,
            },
          })),
        );
        after = page[page.length - 1] as number;
        queued += page.length;
        await run.save({ after, queued });
      }
      const done = await broadcasts.change(broadcast.id, (b) => ({ ...b, total: queued, fannedOut: true }));
      if (done?.status === 'done') await deliverer.ended(done);
      return queued;
    },
    { maxAttempts: 1000, backoff: { baseMs: 500, maxMs: 10_000 }, timeoutMs: 3_600_000 },
  );
  ctx.onConfigChange(async () => {
    if (!worker) return;
    await stopWorker();
    startWorker();
  });

  return {
    kind: 'redis',
    start: async (b) => {
      await opened().resume();
      await ctx.jobs.enqueue(FAN_OUT, { id: b.id }, { key: b.id });
    },
    pause: () => opened().pause(),
    resume: () => opened().resume(),
    cancel: async () => {
      const q = opened();
      await q.pause();
      await q.drain(true);
      await q.resume();
    },
    // Completed jobs were kept so that their ids stopped a second queueing; the broadcast is over now.
    ended: async () => {
      await opened().clean(0, 0, 'completed');
    },
    open: async () => {
      libraries ??= await queueLibraries();
      queue = new libraries.Queue<Recipient>(QUEUE, { connection: connect(), prefix: redis.prefix });
      shared = new SharedPace(connect(), `${redis.prefix}:${QUEUE}:next-slot`, rate);
      startWorker();
    },
    close: async () => {
      await stopWorker();
      await queue?.close();
      queue = undefined;
      await Promise.all(connections.splice(0).map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
