// The contestants: how each is started, pointed at the fake Bot API, probed for readiness and cleaned
// up afterwards. OMNICore runs from dist/ exactly as `omnicore start` does, once or as several instances.
import path from 'node:path';
import { createTestDatabase } from '../test/support/databases.js';
import { startExperiments } from './bench-experiments.js';
import { enablePlugins, PLUGIN_COUNT, writeBenchPlugins } from './bench-plugins.js';
import type { LaunchSpec } from './child.js';
import { BOT_TOKEN, OMNICORE_CLI, WEBHOOK_PATH, WEBHOOK_SECRET, WEBHOOK_URL } from './settings.js';
import { probeBody } from './update-stream.js';

export type ContestantId =
  | 'omnicore-sqlite'
  | 'omnicore-postgres'
  | 'omnicore-plugins'
  | 'omnicore-experiments'
  | 'grammy'
  | 'telegraf'
  | 'omnicore-postgres-1'
  | 'omnicore-postgres-2';

export interface Contestant {
  readonly id: ContestantId;
  readonly title: string;
  /** Unset: one process, the load straight to it. Set: this many processes behind the round-robin proxy. */
  readonly proxiedInstances?: number;
  /** Prepares what the contestant needs (a database) and how to launch a process of it on a port; `dispose` removes it. */
  prepare(apiRoot: string): Promise<{ spec: (port: number) => LaunchSpec; dispose: () => Promise<void> }>;
}

/** BENCH_ONLY's name for the comparison of one and two instances. */
export const INSTANCES_SECTION = 'instances';

/** Probe updates answer into this chat, which no stream uses. */
export const PROBE_CHAT = 999;
let probeUpdateId = 2_000_000_000;

const BOTS = new URL('./bots/', import.meta.url);

interface OmnicoreOptions {
  plugins?: boolean;
  /** Two experiments running, on half the users together (bench-experiments.ts). */
  experiments?: boolean;
  /** `omnicore start` processes behind the round-robin proxy; they share the database and DATA_DIR. */
  proxiedInstances?: number;
}

function omnicore(
  id: ContestantId,
  title: string,
  kind: 'sqlite' | 'postgres',
  { plugins = false, experiments = false, proxiedInstances }: OmnicoreOptions = {},
): Contestant {
  return {
    id,
    title,
    proxiedInstances,
    async prepare(apiRoot) {
      const database = await createTestDatabase(kind);
      if (plugins) enablePlugins(database.dataDir, writeBenchPlugins(path.join(database.dataDir, 'plugins')));
      if (experiments) startExperiments(database.dataDir, database.url);
      const env: Record<string, string> = {
        BOT_TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        WEBHOOK_URL,
        WEBHOOK_SECRET,
        TELEGRAM_THROTTLE: 'off',
        HOST: '127.0.0.1',
        DATA_DIR: database.dataDir,
        LOG_LEVEL: 'warn',
        ...(database.url ? { DATABASE_URL: database.url } : {}),
      };
      const probe = async (baseUrl: string) => (await fetch(`${baseUrl}/readyz`)).status === 200;
      return {
        spec: (port) => ({ name: id, args: [OMNICORE_CLI, 'start'], env: { ...env, PORT: String(port) }, port, probe }),
        dispose: () => database.dispose(),
      };
    },
  };
}

function bareBot(id: ContestantId, title: string, script: string): Contestant {
  return {
    id,
    title,
    async prepare(apiRoot) {
      const env = { BOT_TOKEN, TELEGRAM_API_ROOT: apiRoot, WEBHOOK_URL, WEBHOOK_SECRET };
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
      return {
        spec: (port) => ({ name: id, args, env: { ...env, PORT: String(port) }, port, probe }),
        dispose: async () => {},
      };
    },
  };
}

export const CONTESTANTS: readonly Contestant[] = [
  omnicore('omnicore-sqlite', 'OMNICore (SQLite)', 'sqlite'),
  omnicore('omnicore-plugins', `OMNICore (SQLite, ${PLUGIN_COUNT} plugins)`, 'sqlite', { plugins: true }),
  omnicore('omnicore-experiments', 'OMNICore (SQLite, 2 experiments on half the users)', 'sqlite', {
    experiments: true,
  }),
  omnicore('omnicore-postgres', 'OMNICore (PostgreSQL)', 'postgres'),
  bareBot('grammy', 'grammY (bare)', 'grammy-bot.js'),
  bareBot('telegraf', 'Telegraf', 'telegraf-bot.js'),
];

/**
 * One instance against two on PostgreSQL, both behind the same proxy, so that the ratio leaves out
 * the proxy's cost (the direct omnicore-postgres above stays the comparison with grammY).
 */
export const INSTANCE_CONTESTANTS: readonly Contestant[] = [
  omnicore('omnicore-postgres-1', 'OMNICore (PostgreSQL, 1 instance behind the proxy)', 'postgres', {
    proxiedInstances: 1,
  }),
  omnicore('omnicore-postgres-2', 'OMNICore (PostgreSQL, 2 instances behind the proxy)', 'postgres', {
    proxiedInstances: 2,
  }),
];
