// A platform for broadcast tests: webhook mode against a fake Bot API that enforces Telegram's
// limits (telegram-limits.ts), the built broadcasts plugin switched on at a rate, users seeded as
// rows, and the panel's JSON routes for creating and following a broadcast. `restart` stops the
// platform and starts another on the same database, Redis prefix and fake. With `instances`, several
// platforms share the database (PostgreSQL) and Redis, as instances behind a load balancer do.
import { fileURLToPath } from 'node:url';
import { type AdminClient, signInAdmin } from '../../src/testing/admin-client.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { FakeBotApi } from './fake-bot-api.js';
import { startTestPlatform, type TestPlatform, webhookEnv } from './platform.js';
import { type TelegramLimits, telegramLimits } from './telegram-limits.js';

export const BUILT_PLUGINS = fileURLToPath(new URL('../../dist/builtin-plugins/', import.meta.url));
export const ADMIN = 1001;
export const API = '/api/admin/plugins/broadcasts';

export interface BroadcastView {
  id: string;
  status: string;
  total: number;
  sent: number;
  failed: number;
  blocked: number;
  skippedBlocked: number;
  pending: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface BroadcastBed {
  /** The first instance: the one the panel is used on, and the one `restart` restarts. */
  platform: TestPlatform;
  /** Every instance, the first included. */
  readonly platforms: TestPlatform[];
  readonly fake: FakeBotApi;
  readonly limits: TelegramLimits;
  readonly database: TestDatabase;
  /** Users `first`…`first + count - 1`, a language each; `blockedInDb` of them already marked blocked. */
  seed(first: number, count: number, blockedInDb?: ReadonlySet<number>): Promise<void>;
  /** The panel, signed in once per platform (signing in again ends the earlier session). */
  panel(): Promise<AdminClient>;
  create(body: Record<string, unknown>): Promise<BroadcastView>;
  get(id: string): Promise<BroadcastView>;
  /** Polls the broadcast (as the page does) until `done` holds; returns it. */
  until(id: string, done: (b: BroadcastView) => boolean, timeoutMs: number): Promise<BroadcastView>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startBroadcastBed(options: {
  redis: boolean;
  ratePerSecond: number;
  capPerSecond: number;
  blocked: ReadonlySet<number>;
  database?: TestDatabase['kind'];
  instances?: number;
}): Promise<BroadcastBed> {
  const database = await createTestDatabase(options.database ?? 'sqlite');
  const fake = await new FakeBotApi().start();
  const limits = telegramLimits({ perSecond: options.capPerSecond, blocked: options.blocked });
  fake.chaos = limits.chaos;
  const redisKeyPrefix = `omnicore-test:${process.pid}:${Date.now().toString(36)}`;
  const env = {
    ...webhookEnv(fake.url),
    PLUGINS_DIR: BUILT_PLUGINS,
    ADMIN_TELEGRAM_IDS: String(ADMIN),
    ...(options.redis ? { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' } : {}),
  };
  /** With several instances, each calls the fake under an API root of its own (RecordedCall.via: `instance-0`, `instance-1`…). */
  const start = async (instance = 0) => {
    const apiRoot = (options.instances ?? 1) > 1 ? { TELEGRAM_API_ROOT: `${fake.url}/instance-${instance}` } : {};
    const platform = await startTestPlatform(database, { ...env, ...apiRoot }, { redisKeyPrefix });
    await platform.ready;
    return platform;
  };
  let signedIn: AdminClient | undefined;
  const platforms: TestPlatform[] = [];
  for (let instance = 0; instance < (options.instances ?? 1); instance++) platforms.push(await start(instance));
  const bed: BroadcastBed = {
    get platform() {
      return platforms[0] as TestPlatform;
    },
    set platform(platform) {
      platforms[0] = platform;
    },
    platforms,
    async panel() {
      signedIn ??= await signInAdmin(bed.platform);
      return signedIn;
    },
    fake,
    limits,
    database,
    async seed(first, count, blockedInDb = new Set()) {
      const languages = ['en', 'de', 'es', 'ru'];
      const now = Date.now();
      const rows = Array.from({ length: count }, (_, index) => ({
        id: first + index,
        username: null,
        first_name: `User ${first + index}`,
        last_name: null,
        language_code: languages[index % languages.length] as string,
        is_bot: 0,
        first_seen: now,
        last_seen: now,
        message_count: 1,
        blocked_bot_at: blockedInDb.has(first + index) ? now : null,
      }));
      for (let at = 0; at < rows.length; at += 500) {
        await bed.platform.database.db
          .insertInto('users')
          .values(rows.slice(at, at + 500))
          .execute();
      }
    },
    async create(body) {
      const panel = await bed.panel();
      const created = await panel.send('POST', `${API}/broadcasts`, body);
      if (created.status !== 200) throw new Error(`create: ${created.status} ${created.body}`);
      return created.json<BroadcastView>();
    },
    async get(id) {
      const panel = await bed.panel();
      return (await panel.get(`${API}/broadcasts/${id}`)).json<BroadcastView>();
    },
    async until(id, done, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const panel = await bed.panel();
        const current = (await panel.get(`${API}/broadcasts/${id}`)).json<BroadcastView>();
        if (done(current)) return current;
        if (Date.now() > deadline) throw new Error(`broadcast ${id} still ${JSON.stringify(current)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async restart() {
      await bed.platform.stop();
      signedIn = undefined;
      bed.platform = await start();
    },
    async close() {
      await Promise.all(platforms.map((platform) => platform.stop()));
      await fake.stop();
      await database.dispose();
    },
  };
  await bed.platform.plugins.configure('broadcasts', { ratePerSecond: options.ratePerSecond });
  await bed.platform.plugins.setEnabled('broadcasts', true);
  return bed;
}

/** Messages per second over the middle of the sending (the first and last tenth left out). */
function steadyRate(times: readonly number[]): { rate: number; from: number; to: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const from = sorted[Math.floor(sorted.length * 0.1)] as number;
  const to = sorted[Math.floor(sorted.length * 0.9)] as number;
  const inside = sorted.filter((at) => at >= from && at <= to).length;
  return { rate: ((inside - 1) * 1000) / Math.max(1, to - from), from, to };
}

/** How many messages Telegram took for each chat. */
export function sendsPerChat(limits: TelegramLimits): Map<number, number> {
  const perChat = new Map<number, number>();
  for (const { chat } of limits.accepted) perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
  return perChat;
}

/**
 * The sending before and after `at` (a restart, an instance stopped), each part's steady rate, and
 * the 429s Telegram answered within those steady parts.
 */
export function partsAround(
  limits: TelegramLimits,
  at: number,
): { before: ReturnType<typeof steadyRate>; after: ReturnType<typeof steadyRate>; tooManyInSteady: number[] } {
  const times = limits.accepted.map((call) => call.at);
  const before = steadyRate(times.filter((time) => time < at));
  const after = steadyRate(times.filter((time) => time > at));
  const tooManyInSteady = limits.tooMany.filter((time) =>
    [before, after].some((part) => time >= part.from && time <= part.to),
  );
  return { before, after, tooManyInSteady };
}
