// `omnicore <plugin> <verb> [args]`: a verb a plugin declared with ctx.cli.verb, run on the server's
// database (migrated first) with the plugins loaded as `plugins list` loads them: set up, none
// started, on or off. `omnicore <plugin> [--help]` lists the plugin's verbs.
import { loadConfig } from '../config/env.js';
import { migrateToLatest } from '../db/migrate.js';
import type { CliCall, CliVerb } from '../plugins/api-content.js';
import { PluginStore } from '../plugins/store.js';
import { inspectPlugins } from './plugin-inspection.js';
import { progressOn } from './progress.js';
import { openCliDatabase } from './server-database.js';
import { oneLine, UsageError } from './usage.js';

const HELP = new Set(['--help', '-h']);

export async function runPluginVerb(plugin: string, args: string[]): Promise<number> {
  const [verbName, ...rest] = args;
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    await migrateToLatest(database);
    const host = await inspectPlugins(config, database, new PluginStore(database.db));
    const status = host.list().find((entry) => entry.name === plugin);
    if (!status) {
      console.error(`omnicore: unknown command "${plugin}" (try: omnicore --help)`);
      return 2;
    }
    if (status.refused) {
      console.error(`omnicore: ${plugin} cannot run: ${status.refused.code}: ${status.refused.message}`);
      return 1;
    }
    const verbs = host.verbs(plugin) ?? new Map<string, CliVerb>();
    const asksHelp = verbName !== undefined && HELP.has(verbName);
    if (verbName === undefined || asksHelp || !verbs.has(verbName)) {
      if (verbName !== undefined && !asksHelp) console.error(`omnicore: ${plugin} has no verb "${verbName}"`);
      (asksHelp ? console.log : console.error)(verbList(plugin, verbs));
      return asksHelp ? 0 : 2;
    }
    const verb = verbs.get(verbName) as CliVerb;
    if (rest.some((arg) => HELP.has(arg))) {
      console.log(verb.usage);
      return 0;
    }
    return await runVerb(`${plugin} ${verbName}`, verb, rest);
  } finally {
    await database.close();
  }
}

/** Runs the verb; its exit code, its failure in one line (1), its bad usage with its usage line (2). */
async function runVerb(name: string, verb: CliVerb, args: string[]): Promise<number> {
  const progress = progressOn(process.stderr);
  const call: CliCall = {
    args,
    stdin: process.stdin,
    stdout: process.stdout,
    progress: (done, total) => progress.report(done, total),
    usage: (message) => {
      throw new UsageError(String(message));
    },
  };
  let outcome: { code: number } | { error: unknown };
  try {
    outcome = { code: (await verb.run(call)) ?? 0 };
  } catch (error) {
    outcome = { error };
  }
  // The bar's last state before anything else is said on stderr.
  progress.end();
  if ('code' in outcome) {
    const { code } = outcome;
    if (Number.isInteger(code) && code >= 0 && code <= 255) return code;
    outcome = { error: new Error(`returned ${String(code)}, not an exit code`) };
  }
  const { error } = outcome;
  const message = oneLine(error instanceof Error ? error.message : String(error));
  if (error instanceof UsageError) {
    console.error(`omnicore: ${name}: ${message} (${oneLine(verb.usage)})`);
    return 2;
  }
  console.error(`omnicore: ${name}: ${message}`);
  return 1;
}

function verbList(plugin: string, verbs: ReadonlyMap<string, CliVerb>): string {
  if (verbs.size === 0) return `${plugin} adds no verbs to omnicore`;
  const lines = [...verbs].map(([name, verb]) => `  ${name.padEnd(12)} ${oneLine(verb.summary)}`);
  return `usage: omnicore ${plugin} <verb> [args] [--help]\n\nverbs:\n${lines.join('\n')}`;
}
