// `omnicore ask "<text>" [--json] [--admin] [--lang xx]`: what the local conversation engine makes of a message —
// intent, confidence, the command it leads to, the reply — with the core commands and the plugins
// the server has switched on (same DATA_DIR/DATABASE_URL), so an operator can tune the corpus and
// the knowledge file without a chat.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { LocalEngine, type Understanding } from '../ai/local/engine.js';
import { CORE_COMMANDS } from '../bot/pipeline.js';
import { loadConfig } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { LANGUAGES, type Language } from '../config/settings-catalog.js';
import { CommandRegistry } from '../core/command-registry.js';
import { migrateToLatest } from '../db/migrate.js';
import { PluginStore } from '../plugins/store.js';
import { inspectPlugins } from './plugin-inspection.js';
import { openCliDatabase } from './server-database.js';
import { UsageError } from './usage.js';

export async function runAsk(args: string[]): Promise<number> {
  const parsed = parse(args);
  const text = parsed.positionals.join(' ').trim();
  if (!text) throw new UsageError('nothing to ask');
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    await migrateToLatest(database);
    const registry = new CommandRegistry();
    for (const command of CORE_COMMANDS) registry.add({ ...command.info, source: 'core' });
    const host = await inspectPlugins(config, database, new PluginStore(database.db));
    for (const status of host.list()) {
      if (!status.enabled || status.refused) continue;
      for (const command of status.commands) registry.add({ ...command, source: status.name });
    }
    const engine = new LocalEngine({
      registry,
      dataDir: config.DATA_DIR,
      cacheDir: config.CACHE_DIR,
      // stdout belongs to the answer; a knowledge file that cannot be read is worth a line on stderr.
      log: createLogger({ LOG_LEVEL: 'warn' }, [], pino.destination(2)),
      retrainDelayMs: 0,
    });
    const understanding = await engine.understand(text, {
      isAdmin: parsed.values.admin ?? false,
      language: parsed.values.lang,
    });
    engine.close();
    console.log(parsed.values.json ? JSON.stringify(pick(understanding)) : describeUnderstanding(understanding));
    return 0;
  } finally {
    await database.close();
  }
}

function parse(args: string[]) {
  const parsed = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, admin: { type: 'boolean' }, lang: { type: 'string' } },
  });
  const { lang } = parsed.values;
  if (lang !== undefined && !isLanguage(lang)) {
    throw new UsageError(`--lang takes one of ${LANGUAGES.join(', ')}, not "${lang}"`);
  }
  return { positionals: parsed.positionals, values: { ...parsed.values, lang: lang as Language | undefined } };
}

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** Exactly the four fields scripts are promised, in a fixed order. */
function pick({ intent, confidence, command, reply }: Understanding): Understanding {
  return { intent, confidence, command, reply };
}

function describeUnderstanding({ intent, confidence, command, reply }: Understanding): string {
  return [
    `intent:     ${intent}`,
    `confidence: ${confidence}`,
    `command:    ${command ?? '(none)'}`,
    `reply:      ${reply.split('\n').join('\n            ')}`,
  ].join('\n');
}
