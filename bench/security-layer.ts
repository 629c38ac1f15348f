// `npm run bench:security`: what the security layer costs per update. The core pipeline (SQLite, user
// state, usage tracking, core commands) handles a stream of private messages in this process, with
// and without the security layer in front (its judgement at arrival and its handle-time ban check;
// in-memory limits, then Redis), and the Bot API answered in-process so that only our own code is
// measured. Prints CPU and wall ms per update.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { pino } from 'pino';
import { createUsageAnalytics } from '../src/analytics/report.js';
import { ActivityRecorder } from '../src/bot/activity.js';
import { createPipeline } from '../src/bot/pipeline.js';
import { telegramPaymentsApi } from '../src/bot/telegram-payments-api.js';
import { CommandRegistry } from '../src/core/command-registry.js';
import type { BotContext, ConversationHook } from '../src/core/context.js';
import { EventBus } from '../src/core/events.js';
import { createMetrics } from '../src/core/metrics.js';
import { UserStateStore } from '../src/core/user-state.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { SettingsStore } from '../src/db/settings-store.js';
import { createSecurity, type Security } from '../src/ops/security/security.js';
import { Payments } from '../src/payments/payments.js';
import { textUpdate } from '../test/support/updates.js';

/** Plain text gets one fixed answer: the layer's cost is measured, not the conversation engine's. */
const fixedReply: ConversationHook = (ctx) => ctx.reply('noted');

const UPDATES = Number(process.env.BENCH_UPDATES) || 20_000;
const USERS = 1000;
/** Updates in flight at once, as the dispatcher runs chats in parallel. */
const CONCURRENCY = 64;
const ROUNDS = 5;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ME: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: 'Bench',
  username: 'bench_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};
const TEXTS = ['hello there', '/start', 'what can you do?', '/help', '/weather'];

const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-bench-security-'));
const log = pino({ level: 'warn' });
const database = await openDatabase({ dataDir });
await migrateToLatest(database);
const settings = new SettingsStore(database.db);
await settings.refresh();
const activity = new ActivityRecorder(database.db, { flushMs: 1000, maxBuffered: 1000, onError: () => {} });
activity.start();
const metrics = createMetrics();
const securities: Security[] = [];

async function security(redisUrl?: string): Promise<Security> {
  const made = await createSecurity({
    db: database.db,
    settings,
    metrics,
    log,
    adminIds: [],
    redisUrl,
    keyPrefix: `omnicore-bench:${process.pid}:${securities.length}`,
    // Nothing queues here: updates are handled as they are admitted, notices answered in-process.
    notify: async () => {},
    dropWaiting: () => 0,
  });
  securities.push(made);
  return made;
}

type Handle = (update: Update) => Promise<void>;

/** `pipeline: false` ends the chain after the security layer, to measure the layer on its own. */
function botWith(layer: Security | undefined, bans: Security['bans'], pipeline = true): Handle {
  const bot = new Bot<BotContext>('1:bench', { botInfo: ME });
  let messageId = 1;
  // Every Bot API call is answered at once, in-process: the figures are our code, not a network.
  bot.api.config.use(async (_prev, _method, payload) => {
    const chat = { id: Number((payload as { chat_id?: number }).chat_id ?? 0), type: 'private', first_name: 'U' };
    return { ok: true, result: { message_id: messageId++, date: 0, chat, text: '' } } as never;
  });
  const handle: Handle = async (update) => {
    if (!layer || (await layer.admit(update)).admitted) await bot.handleUpdate(update);
  };
  if (layer) bot.use(layer.middleware);
  if (!pipeline) return handle;
  bot.use(
    createPipeline({
      registry: new CommandRegistry(),
      userState: new UserStateStore(database.db),
      activity,
      settings,
      events: new EventBus(),
      adminIds: new Set(),
      extensions: (_ctx, next) => next(),
      conversation: fixedReply,
      plugins: { list: () => [], setEnabled: async () => {} },
      bans,
      analytics: createUsageAnalytics(database.db, () => []),
      payments: new Payments({ db: database.db, events: new EventBus(), telegram: telegramPaymentsApi(bot.api) }),
      // No admins here: /update is never reached.
      updates: { check: () => Promise.reject(new Error('no updates in the bench')), start: async () => undefined },
      status: {
        version: 'bench',
        mode: 'bench',
        database: 'sqlite',
        startedAt: Date.now(),
        backlog: async () => 0,
        conflicts: () => ({ total: 0, last: null }),
      },
    }),
  );
  return handle;
}

/** Each round uses users of its own, so that no limit carries over from the one before. */
function stream(round: number): Update[] {
  return Array.from({ length: UPDATES }, (_, index) => {
    const userId = 1_000_000 * (round + 1) + (index % USERS);
    const text = TEXTS[(index + Math.floor(index / USERS)) % TEXTS.length] as string;
    return textUpdate(text, { userId, updateId: index + 1 }) as unknown as Update;
  });
}

async function run(handle: Handle, updates: Update[]): Promise<{ cpuMs: number; wallMs: number }> {
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < updates.length) await handle(updates[next++] as Update);
    }),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { cpuMs: (used.user + used.system) / 1000, wallMs };
}

interface Variant {
  name: string;
  handle: Handle;
}

// Each variant has a security layer of its own: limits and flood counts must not carry over.
const memory = await security();
const variants: Variant[] = [
  { name: 'pipeline without the security layer', handle: botWith(undefined, memory.bans) },
  { name: 'pipeline + security (in-memory limits)', handle: botWith(memory, memory.bans) },
];
for (const [name, redisUrl, pipeline] of [
  ['pipeline + security (Redis limits)', REDIS_URL, true],
  ['security alone (in-memory limits)', undefined, false],
  ['security alone (Redis limits)', REDIS_URL, false],
] as const) {
  const own = await security(redisUrl);
  variants.push({ name, handle: botWith(own, own.bans, pipeline) });
}
variants.push({ name: 'empty chain (grammY only)', handle: botWith(undefined, memory.bans, false) });
// A banned user's update: dropped by the security layer, the rest of the pipeline never runs.
const bannedBot = botWith(memory, memory.bans);
for (let user = 0; user < USERS; user++) {
  await memory.bans.ban(9_000_000 + user, { reason: 'bench', by: 'bench' });
}

console.log(
  `Security layer cost — ${UPDATES} private messages over ${USERS} users, ${CONCURRENCY} in flight, ` +
    `best of ${ROUNDS} rounds; Bot API answered in-process; SQLite in a temporary directory`,
);
const best = new Map<string, { cpuMs: number; wallMs: number }>();
for (let round = 0; round < ROUNDS; round++) {
  const updates = stream(round);
  for (const variant of variants) {
    const result = await run(variant.handle, updates);
    const previous = best.get(variant.name);
    if (!previous || result.cpuMs < previous.cpuMs) best.set(variant.name, result);
  }
  const banned = updates.map(
    (update, index) =>
      ({
        ...update,
        message: { ...update.message, from: { id: 9_000_000 + (index % USERS), is_bot: false, first_name: 'B' } },
      }) as Update,
  );
  const result = await run(bannedBot, banned);
  const previous = best.get('banned user, dropped');
  if (!previous || result.cpuMs < previous.cpuMs) best.set('banned user, dropped', result);
}

// Rows with the pipeline compare to the bare pipeline; the others to grammY's empty chain.
const figure = (name: string) => best.get(name) as { cpuMs: number; wallMs: number };
const rows = [...best].map(([name, { cpuMs, wallMs }]) => {
  const baseline = figure(name.startsWith('pipeline') ? (variants[0]?.name as string) : 'empty chain (grammY only)');
  return [
    name,
    (cpuMs / UPDATES).toFixed(4),
    (wallMs / UPDATES).toFixed(4),
    `${(cpuMs / baseline.cpuMs).toFixed(2)}×`,
    `${(((cpuMs - baseline.cpuMs) / UPDATES) * 1000).toFixed(1)}`,
  ];
});
const header = ['variant', 'CPU ms/update', 'wall ms/update', 'CPU ratio', 'CPU µs added'];
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
);
const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ');
console.log(`\n${line(header)}\n${rows.map(line).join('\n')}`);
const drops = await metrics.registry.getSingleMetricAsString('omnicore_security_dropped_total');
const dropped = [...drops.matchAll(/reason="(\w+)"} (\d+)/g)].map(([, reason, count]) => `${reason} ${count}`);
console.log(`\nDropped by the security layer: ${dropped.join(', ') || 'none'} (only the banned rows should drop).`);

for (const made of securities) await made.stop();
await activity.stop();
await database.close();
rmSync(dataDir, { recursive: true, force: true });
