#!/usr/bin/env node
import { CONFIG_EXIT_CODE, ConfigError } from '../config/config-error.js';
// The `omnicore` command: parses the verb and hands over to the file that does it, loaded only then
// (see verbs.ts), or to a plugin's verb (plugin-verbs.ts). Failures print one line on stderr and exit
// non-zero (78 for a configuration error or a second server on one SQLite database, 2 for bad
// usage, 1 otherwise).
import { loadEnvFile } from '../config/dotenv.js';
import { OmniError } from '../errors.js';
import { isParseArgsError, oneLine, UsageError } from './usage.js';
import { VERBS } from './verbs.js';

const USAGE = `usage: omnicore <command> [--help]

commands:
${Object.entries(VERBS)
  .map(([name, verb]) => `  ${name.padEnd(12)} ${verb.summary}`)
  .join('\n')}

Plugins add verbs of their own: omnicore <plugin> <verb> [args] (omnicore <plugin> --help lists them).
Configuration comes from environment variables and ./.env (the environment wins); see README.md.`;

const HELP = new Set(['--help', '-h']);

async function main(argv: string[]): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || HELP.has(name)) {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const verbName = name === '--version' || name === '-v' ? 'version' : name;
  const verb = Object.hasOwn(VERBS, verbName) ? VERBS[verbName] : undefined;
  if (!verb && !name.startsWith('-')) {
    // Not a built-in verb: perhaps a plugin's (`omnicore <plugin> <verb>`), known once plugins load.
    loadEnvFile();
    return (await import('./plugin-verbs.js')).runPluginVerb(name, rest);
  }
  if (!verb) {
    console.error(`omnicore: unknown command "${name}" (try: omnicore --help)`);
    return 2;
  }
  if (rest.some((arg) => HELP.has(arg))) {
    console.log(verb.usage);
    return 0;
  }
  // Every verb works on the server's configuration, so every verb reads the same file.
  loadEnvFile();
  try {
    return await (await verb.load())(rest);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      console.error(`omnicore: ${oneLine(error.message)} (${oneLine(verb.usage)})`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (error: unknown) => {
    // Neither gets better by starting again, so `omnicore run` does not retry them.
    if (error instanceof ConfigError || (error instanceof OmniError && error.code === 'INSTANCE_ALREADY_RUNNING')) {
      console.error(`omnicore: ${error.message}`);
      process.exitCode = CONFIG_EXIT_CODE;
      return;
    }
    console.error(`omnicore: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
