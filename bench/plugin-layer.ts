// The plugin layer's own CPU per update, measured in one process where nothing else varies: the
// benchmark's update stream through a grammY bot whose middleware is the plugin host's, once with no
// plugin switched on and once with the eleven bench plugins, in alternating rounds. The difference
// of the two medians is what the plugins cost an update; the full-platform runs above measure it
// only within their noise (GC, SQLite checkpoints, the load generator sharing the cores).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { Registry } from 'prom-client';
import { createUsageAnalytics } from '../src/analytics/report.js';
import { commandOf } from '../src/bot/pipeline.js';
import { createLogger } from '../src/config/logger.js';
import { CommandRegistry } from '../src/core/command-registry.js';
import type { BotContext } from '../src/core/context.js';
import { EventBus } from '../src/core/events.js';
import { withoutExperiments } from '../src/core/experiments.js';
import { Handling, runHandling } from '../src/core/handling.js';
import { messages } from '../src/core/i18n.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { PluginHost } from '../src/plugins/host.js';
import { pluginStorage } from '../src/plugins/storage.js';
import { PluginStore } from '../src/plugins/store.js';
import { writeBenchPlugins } from './bench-plugins.js';
import { BOT_TOKEN, ROOT } from './settings.js';
import { buildStream } from './update-stream.js';

const ROUNDS = 7;
const UPDATES_PER_ROUND = Number(process.env.BENCH_PLUGIN_LAYER_UPDATES) || 20_000;
/** Answered by the core commands before plugins see them, as in the platform's pipeline. */
const CORE_COMMANDS = new Set(['start', 'help']);

export const PLUGIN_LAYER = 'plugin-layer';

export interface PluginLayerFigures {
  /** Median CPU per update, µs, with no plugin on. */
  bare: number;
  /** The same with the bench plugins on. */
  withPlugins: number;
  plugins: number;
  updates: number;
  rounds: number;
}

type Variant = { bot: Bot<BotContext>; host: PluginHost };

export async function runPluginLayerBench(): Promise<PluginLayerFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-plugin-layer-'));
  const handle = await openDatabase({ url: undefined, dataDir });
  try {
    await migrateToLatest(handle);
    const pluginsDir = path.join(dataDir, 'plugins');
    const names = writeBenchPlugins(pluginsDir);
    const bare = await variant(handle.db, pluginsDir);
    const full = await variant(handle.db, pluginsDir);
    for (const name of names) await full.host.setEnabled(name, true);
    const stream = buildStream(UPDATES_PER_ROUND, 1, 10_000).map((item) => JSON.parse(item.body) as Update);
    // One unmeasured round each: the JIT settles before anything counts.
    await cpuPerUpdate(bare, stream);
    await cpuPerUpdate(full, stream);
    const bareRounds: number[] = [];
    const fullRounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bareRounds.push(await cpuPerUpdate(bare, stream));
      fullRounds.push(await cpuPerUpdate(full, stream));
    }
    await bare.host.stop();
    await full.host.stop();
    return {
      bare: median(bareRounds),
      withPlugins: median(fullRounds),
      plugins: names.length,
      updates: UPDATES_PER_ROUND,
      rounds: ROUNDS,
    };
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function variant(db: Parameters<typeof pluginStorage>[0], pluginsDir: string): Promise<Variant> {
  const events = new EventBus();
  const host = new PluginHost({
    store: new PluginStore(db),
    registry: new CommandRegistry(),
    log: createLogger({ LOG_LEVEL: 'silent' }, []),
    // src/version.ts finds package.json from dist/, not from dist-bench/.
    platformVersion: (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    dirs: [pluginsDir],
    alert: async () => {},
    events,
    metrics: new Registry(),
    storageFor: (name) => pluginStorage(db, name),
    analytics: createUsageAnalytics(db, () => []),
  });
  await host.load();
  const bot = new Bot<BotContext>(BOT_TOKEN, {
    // What getMe answers; only the username matters to command matching.
    botInfo: { id: 1, is_bot: true, first_name: 'Bench', username: 'bench_bot' } as UserFromGetMe,
  });
  // Answered here, not over HTTP: this measures the middleware, and a reply costs both variants alike.
  bot.api.config.use(async () => ({ ok: true, result: true }) as never);
  // What the pipeline does around the plugins: the sender's core state, core commands first, then
  // the plugins, the conversation's answer, and the commandUsed event every listener hears.
  const noExperiments = withoutExperiments({ get: () => undefined as never }).forUser(undefined);
  bot.use(async (ctx, next) => {
    ctx.core = { language: 'en', t: messages.en, isAdmin: false, outcome: 'ok', experiments: noExperiments };
    const command = commandOf(ctx);
    if (command && CORE_COMMANDS.has(command)) {
      await ctx.reply('core');
      events.emit('commandUsed', { command, userId: ctx.from?.id, chatId: ctx.chat?.id });
      return;
    }
    await next();
  });
  bot.use(host.middleware());
  bot.use((ctx) => ctx.reply('conversation'));
  return { bot, host };
}

async function cpuPerUpdate({ bot }: Variant, stream: readonly Update[]): Promise<number> {
  const started = process.cpuUsage();
  for (const update of stream) {
    await runHandling(new Handling(update.update_id), update, () => bot.handleUpdate(update));
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / stream.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}
