// Sending without Redis: one durable ctx.jobs job per broadcast works through the audience in chat-id
// order at the configured rate, several messages on their way at once, counting each recipient
// together with the cursor below which all are answered, so that a job retried after a restart goes
// on from there and never sends to one twice.
import type { PluginContext } from '../../plugins/api.js';
import { Answered } from './answered.js';
import type { BroadcastsConfig } from './config.js';
import type { Deliverer } from './deliver.js';
import { Pacer, sleep } from './pace.js';
import type { Sender } from './sender.js';
import type { Broadcasts } from './store.js';

const KIND = 'send';
const NETWORK_ATTEMPTS = 3;
/** Messages on their way at once, so that the rate does not wait on each answer. */
const IN_FLIGHT = 16;

export function jobsSender(ctx: PluginContext<BroadcastsConfig>, broadcasts: Broadcasts, deliverer: Deliverer): Sender {
  const pacer = new Pacer(() => ctx.config.ratePerSecond);
  ctx.jobs.define<{ id: string }>(
    KIND,
    async (run) => {
      const id = run.payload.id;
      const first = await broadcasts.get(id);
      if (!first) return 'gone';
      const answered = new Answered(first.cursor ?? Number.MIN_SAFE_INTEGER);
      const inFlight = new Set<Promise<void>>();
      // A chat until it is answered: a 429 holds every later slot back; a network failure is tried again.
      const reach = async (chatId: number): Promise<void> => {
        for (let attempt = 1; ; attempt++) {
          const answer = await deliverer.deliver(id, chatId, (chat) => answered.end(chat));
          if (answer.kind === 'done') return;
          if (answer.kind === 'skipped') return void answered.end(chatId);
          if (answer.kind === 'hold') pacer.holdFor(answer.retryAfterMs);
          else if (attempt >= NETWORK_ATTEMPTS) {
            return deliverer.record(id, chatId, 'failed', answer.error, answered.end(chatId));
          } else await sleep(1000 * attempt, run.signal).catch(() => {});
          await pacer.wait(run.signal).catch(() => {});
          // Stopping: left unanswered, so that the cursor stays before it and the next attempt sends it.
          if (run.signal.aborted) return;
        }
      };
      try {
        for await (const page of ctx.audience.chats(first.segment, {
          after: first.cursor ?? Number.MIN_SAFE_INTEGER,
          pageSize: 200,
          now: first.startedAt ?? Date.now(),
        })) {
          for (const chatId of page) {
            const current = await deliverer.current(id);
            if (current?.status !== 'sending') return current?.status ?? 'gone';
            await pacer.wait(run.signal);
            answered.begin(chatId);
            const sending = reach(chatId).finally(() => inFlight.delete(sending));
            inFlight.add(sending);
            if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
          }
        }
      } finally {
        // A stop waits for the messages already on their way, so that the cursor covers them.
        await Promise.allSettled(inFlight);
      }
      // Every chat answered: the total is what was reached, whoever joined or left since the start.
      const done = await broadcasts.change(id, (b) => ({
        ...b,
        total: b.sent + b.failed + b.blocked,
        fannedOut: true,
      }));
      if (done?.status === 'done') await deliverer.ended(done);
      return 'done';
    },
    // A stop interrupts the attempt; the next one resumes from the cursor.
    { maxAttempts: 1000, backoff: { baseMs: 500, maxMs: 10_000 }, timeoutMs: 24 * 3_600_000 },
  );
  // A paused job takes up to one message to notice and end; a resume meanwhile would be folded into it.
  const enqueue = async (id: string) => {
    for (let tries = 0; tries < 50; tries++) {
      const job = await ctx.jobs.enqueue(KIND, { id }, { key: id });
      if (job.status !== 'running') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    kind: 'jobs',
    start: (b) => enqueue(b.id),
    pause: async () => {},
    resume: (b) => enqueue(b.id),
    cancel: async () => {},
    ended: async () => {},
    open: async () => {},
    close: async () => {},
  };
}
