// The publishing section of `npm run bench` (BENCH_ONLY=publishing): statuses posted to a fake
// Mastodon instance over real HTTP, side by side in one run — a bare masto client posting them one
// after another, against the platform mirroring as many posts of a Telegram channel through the
// publishing plugin's durable queue (inbox, dispatcher, plugin, job claimed, status created with an
// Idempotency-Key, result saved) on SQLite and on PostgreSQL: the time for all, the ratio to bare,
// and each post's latency from the channel to the instance. The per-chat rate limit and queue are
// raised for the burst.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRestAPIClient } from 'masto';
import { createPluginTestBed } from 'omnicore/testing';
import { createTestDatabase } from '../test/support/databases.js';
import { FAKE_MASTODON_TOKEN, FakeMastodon } from '../test/support/fake-mastodon.js';
import { percentile } from './stats.js';

export const PUBLISHING_SECTION = 'publishing';
const POSTS = Number(process.env.BENCH_PUBLISHING_POSTS) || 500;

/** The section's lines: printed during the run, and the publishing section of BENCHMARKS.md. */
export type PublishingRun = string[];

export async function runPublishingBench(log: (line: string) => void): Promise<PublishingRun> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(`  ${line}`);
  };
  const mastodon = await new FakeMastodon().start();
  try {
    const bare = await bareClient(mastodon);
    say(`${POSTS} statuses, bare masto client, one after another: ${seconds(bare)}, ${rate(bare)}`);
    for (const kind of ['sqlite', 'postgres'] as const) {
      const { elapsedMs, latencies } = await mirrored(mastodon, kind);
      const sorted = Float64Array.from(latencies).sort();
      const p = (rank: number) => `${percentile(sorted, rank).toFixed(0)} ms`;
      say(
        `${POSTS} channel posts mirrored by the platform (${kind}): ${seconds(elapsedMs)}, ${rate(elapsedMs)}, ` +
          `${(elapsedMs / bare).toFixed(2)}× bare; channel → instance p50 ${p(50)}, p99 ${p(99)}`,
      );
    }
  } finally {
    await mastodon.stop();
  }
  return lines;
}

async function bareClient(mastodon: FakeMastodon): Promise<number> {
  const rest = createRestAPIClient({ url: mastodon.url, accessToken: FAKE_MASTODON_TOKEN });
  const started = performance.now();
  for (let index = 0; index < POSTS; index++) {
    const headers = { 'Idempotency-Key': `bare-${index}` };
    await rest.v1.statuses.create({ status: `Bare post ${index}` }, { requestInit: { headers } });
  }
  return performance.now() - started;
}

async function mirrored(
  mastodon: FakeMastodon,
  kind: 'sqlite' | 'postgres',
): Promise<{ elapsedMs: number; latencies: number[] }> {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-bench-publishing-'));
  const database = await createTestDatabase(kind);
  const bed = await createPluginTestBed({
    pluginsDir,
    env: {
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      MASTODON_URL: mastodon.url,
      MASTODON_TOKEN: FAKE_MASTODON_TOKEN,
      LOG_LEVEL: 'error',
    },
    enable: { content: true, publishing: true },
  });
  try {
    // A burst no real channel sends: the per-chat rate limit (60 updates in 10 s) and the per-chat
    // queue (50 waiting) would drop most of it, as they would any chat's.
    await bed.platform.settings.set('security.chatRateLimit', 100_000);
    await bed.platform.settings.set('inbox.maxQueuedPerChat', 10_000);
    const channel = bed.createChannel({ title: 'Bench channel' });
    await bed.platform.plugins.configure('publishing', {
      mirrors: [{ channel: channel.id, accounts: ['env-mastodon'] }],
    });
    const prefix = `Mirrored ${kind} post`;
    const sentAt = new Map<string, number>();
    const started = performance.now();
    for (let index = 0; index < POSTS; index++) {
      const text = `${prefix} ${index}`;
      sentAt.set(text, Date.now());
      bed.post(channel.id, text);
    }
    const landed = () => [...mastodon.statuses.values()].filter((status) => status.text.startsWith(prefix));
    while (landed().length < POSTS) {
      if (performance.now() - started > 300_000) throw new Error(`only ${landed().length} of ${POSTS} posts landed`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsedMs = performance.now() - started;
    const latencies = landed().map((status) => Date.parse(status.created_at) - (sentAt.get(status.text) ?? 0));
    return { elapsedMs, latencies };
  } finally {
    await bed.close();
    await database.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (ms: number) => `${(POSTS / (ms / 1000)).toFixed(0)}/s`;
