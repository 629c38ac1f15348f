#!/usr/bin/env node
// The `omnicore` command: parses the verb and hands over to the file that does it. Failures print
// one line on stderr and exit non-zero (78 for a configuration error, 1 otherwise, 2 for bad usage).
import { loadEnvFile } from '../config/dotenv.js';
import { CONFIG_EXIT_CODE, ConfigError } from '../config/env.js';
import { VERSION } from '../version.js';
import { runAdmin } from './admin.js';
import { runAnomalies } from './anomalies.js';
import { runAsk } from './ask.js';
import { runChat } from './chat.js';
import { runMigrate } from './migrate.js';
import { runPlugins } from './plugins.js';
import { runSupervisor } from './run.js';
import { runStart } from './start.js';

const USAGE = `usage: omnicore <command>

commands:
  start        run the platform (HTTP server, bot, handlers)
  run          run the platform under the bundled supervisor, which starts it again if it crashes
  migrate      bring the database schema up to date and exit
  admin        create <user>: add an admin panel account (password on stdin)
  chat         talk to the bot through the built-in emulator (reads lines from stdin)
  plugins      list [--json] | enable <name…> | disable <name…> | reload <name> | config <name> [key=value ...]
  ask          "<text>" [--json] [--admin]: what the conversation engine makes of a message
  anomalies    --csv FILE [--json] [--detector NAME]: run the anomaly detectors over a timestamp,value series
  version      print the version

Configuration comes from environment variables and ./.env (the environment wins); see README.md.`;

const commands: Record<string, (args: string[]) => Promise<number | undefined>> = {
  start: runStart,
  run: runSupervisor,
  migrate: runMigrate,
  admin: runAdmin,
  chat: runChat,
  ask: runAsk,
  plugins: runPlugins,
  anomalies: runAnomalies,
  version: async () => {
    console.log(VERSION);
    return 0;
  },
};

async function main(argv: string[]): Promise<number | undefined> {
  const [verb, ...rest] = argv;
  if (!verb || verb === 'help' || verb === '--help' || verb === '-h') {
    console.log(USAGE);
    return verb ? 0 : 2;
  }
  const command = commands[verb];
  if (!command) {
    console.error(`omnicore: unknown command "${verb}" (try: omnicore help)`);
    return 2;
  }
  // Every verb works on the server's configuration, so every verb reads the same file.
  loadEnvFile();
  return command(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`omnicore: configuration error: ${error.message}`);
      process.exitCode = CONFIG_EXIT_CODE;
      return;
    }
    console.error(`omnicore: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
