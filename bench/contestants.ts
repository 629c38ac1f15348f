// The four contestants: how each is started, pointed at the fake Bot API, probed for readiness and
// cleaned up afterwards. OMNICore runs from dist/ exactly as `omnicore start` does.
import path from 'node:path';
import { createTestDatabase } from '../test/support/databases.js';
import { enablePlugins, PLUGIN_COUNT, writeBenchPlugins } from './bench-plugins.js';
import type { LaunchSpec } from './child.js';
import { BOT_TOKEN, OMNICORE_CLI, WEBHOOK_PATH, WEBHOOK_SECRET, WEBHOOK_URL } from './settings.js';
import { probeBody } from './update-stream.js';

export type ContestantId = 'omnicore-sqlite' | 'omnicore-postgres' | 'omnicore-plugins' | 'grammy' | 'telegraf';

export interface Contestant {
  readonly id: ContestantId;
  readonly title: string;
  /** Prepares what the contestant needs (a database); `dispose` removes it. */
  prepare(apiRoot: string, port: number): Promise<{ spec: LaunchSpec; dispose: () => Promise<void> }>;
}

/** Probe updates answer into this chat, which no stream uses. */
export const PROBE_CHAT = 999;
let probeUpdateId = 2_000_000_000;

const BOTS = new URL('./bots/', import.meta.url);

function omnicore(id: ContestantId, title: string, kind: 'sqlite' | 'postgres', withPlugins = false): Contestant {
  return {
    id,
    title,
    async prepare(apiRoot, port) {
      const database = await createTestDatabase(kind);
      if (withPlugins) enablePlugins(database.dataDir, writeBenchPlugins(path.join(database.dataDir, 'plugins')));
      const env: Record<string, string> = {
        BOT_TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        WEBHOOK_URL,
        WEBHOOK_SECRET,
        TELEGRAM_THROTTLE: 'off',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: database.dataDir,
        LOG_LEVEL: 'warn',
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      };
      const probe = async (baseUrl: string) => (await fetch(`${baseUrl}/readyz`)).status === 200;
      return { spec: { name: id, args: [OMNICORE_CLI, 'start'], env, port, probe }, dispose: () => database.dispose() };
    },
  };
}

function bareBot(id: ContestantId, title: string, script: string): Contestant {
  return {
    id,
    title,
    async prepare(apiRoot, port) {
      const env = { BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, WEBHOOK_URL, WEBHOOK_SECRET, PORT: String(port) };
      // Ready means: a webhook call is answered 200 (the bot knows itself and handles updates).
      const probe = async (baseUrl: string) => {
        const response = await fetch(`${baseUrl}${WEBHOOK_PATH}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
          body: probeBody(probeUpdateId++, PROBE_CHAT),
        });
        return response.status === 200;
      };
      const args = [new URL(script, BOTS).pathname];
      return { spec: { name: id, args, env, port, probe }, dispose: async () => {} };
    },
  };
}

export const CONTESTANTS: readonly Contestant[] = [
  omnicore('omnicore-sqlite', 'OMNICore (SQLite)', 'sqlite'),
  omnicore('omnicore-plugins', `OMNICore (SQLite, ${PLUGIN_COUNT} plugins)`, 'sqlite', true),
  omnicore('omnicore-postgres', 'OMNICore (PostgreSQL)', 'postgres'),
  bareBot('grammy', 'grammY (bare)', 'grammy-bot.js'),
  bareBot('telegraf', 'Telegraf', 'telegraf-bot.js'),
];
