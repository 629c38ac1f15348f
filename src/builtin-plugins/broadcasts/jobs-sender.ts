// Sending without Redis: one durable ctx.jobs job per broadcast works through the audience in chat-id
// order at the configured rate, counting each recipient together with the cursor, so that a job
// retried after a restart goes on after the last chat counted and never sends to one twice.
import type { PluginContext } from '../../plugins/api.js';
import type { BroadcastsConfig } from './config.js';
import type { Deliverer } from './deliver.js';
import { Pacer, sleep } from './pace.js';
import type { Sender } from './sender.js';
import type { Broadcasts } from './store.js';

const KIND = 'send';
const NETWORK_ATTEMPTS = 3;

export function jobsSender(ctx: PluginContext<BroadcastsConfig>, broadcasts: Broadcasts, deliverer: Deliverer): Sender {
  const pacer = new Pacer(() => ctx.config.ratePerSecond);
  ctx.jobs.define<{ id: string }>(
    KIND,
    async (run) => {
      const first = await broadcasts.get(run.payload.id);
      if (!first) return 'gone';
      for await (const page of ctx.audience.chats(first.segment, {
        after: first.cursor ?? Number.MIN_SAFE_INTEGER,
        pageSize: 200,
        now: first.startedAt ?? Date.now(),
      })) {
        for (const chatId of page) {
          for (let attempt = 1; ; attempt++) {
            const current = await deliverer.current(run.payload.id);
            if (current?.status !== 'sending') return current?.status ?? 'gone';
            await pacer.wait(run.signal);
            const answer = await deliverer.deliver(run.payload.id, chatId);
            if (answer.kind === 'done' || answer.kind === 'skipped') break;
            if (answer.kind === 'hold') {
              pacer.holdFor(answer.retryAfterMs);
              continue;
            }
            if (attempt >= NETWORK_ATTEMPTS) {
              await deliverer.record(run.payload.id, chatId, 'failed', answer.error);
              break;
            }
            await sleep(1000 * attempt, run.signal);
          }
        }
      }
      // Every chat answered: the total is what was reached, whoever joined or left since the start.
      await broadcasts.change(run.payload.id, (b) => ({ ...b, total: b.sent + b.failed + b.blocked, fannedOut: true }));
      const done = await broadcasts.get(run.payload.id);
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
