// For plugin authors' tests (`omnicore/testing`): a whole platform in emulator mode with your
// plugins folder, in a temporary data directory. Push a user's message, pop the bot's replies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { User } from 'grammy/types';
import { pino } from 'pino';
import type { BotEvent } from '../bot/emulator/emulator.js';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { type Platform, startPlatform } from '../main.js';

export interface PluginTestBedOptions {
  /** The folder holding your plugin folders (what PLUGINS_DIR would be). */
  pluginsDir: string;
  /** Plugins to switch on, with an optional configuration each. */
  enable?: Record<string, Record<string, unknown> | true>;
  /** Extra environment, e.g. ADMIN_TELEGRAM_IDS. */
  env?: Record<string, string>;
}

export interface PluginTestBed {
  readonly platform: Platform;
  /** A user (id 1001 unless given) sends `text` to the bot. */
  push(text: string, user?: Partial<User>): void;
  /** The text of the bot's next message (or edit) to that user; waits up to `timeoutMs`. */
  pop(options?: { userId?: number; timeoutMs?: number }): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_USER: User = { id: 1001, is_bot: false, first_name: 'Tester' };

export async function createPluginTestBed(options: PluginTestBedOptions): Promise<PluginTestBed> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-plugin-test-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    PLUGINS_DIR: path.resolve(options.pluginsDir),
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const platform = await startPlatform(config, { logger: createLogger(config, [], pino.destination(2)) });
  await platform.ready;
  for (const [name, pluginConfig] of Object.entries(options.enable ?? {})) {
    if (pluginConfig !== true) await platform.plugins.configure(name, pluginConfig);
    await platform.plugins.setEnabled(name, true);
  }
  const emulator = platform.emulator as NonNullable<Platform['emulator']>;
  const seen = new Map<number, number>();
  const backlog = new Map<number, BotEvent[]>();

  return {
    platform,
    push(text, user) {
      emulator.sendUserMessage({ ...DEFAULT_USER, ...user }, text);
    },
    async pop({ userId = DEFAULT_USER.id, timeoutMs = 5000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const queued = backlog.get(userId) ?? [];
        const next = queued.shift();
        if (next && (next.type === 'message' || next.type === 'edit')) {
          return 'text' in next.message ? (next.message.text ?? '') : '';
        }
        if (next) continue;
        const wait = deadline - Date.now();
        if (wait <= 0) throw new Error(`no reply from the bot to user ${userId} within ${timeoutMs} ms`);
        const events = await emulator.eventsAfter(userId, seen.get(userId) ?? 0, wait);
        const last = events.at(-1);
        if (last) seen.set(userId, last.seq);
        backlog.set(userId, [...queued, ...events]);
      }
    },
    async close() {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
