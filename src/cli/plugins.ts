// `omnicore plugins list [--json] | enable <name> | disable <name> | config <name> [key=value…]`: works on the same database as
// the server; a running server follows the change within a second or two.

import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import { openConfiguredDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { PluginStatus } from '../plugins/host.js';
import { PluginStore } from '../plugins/store.js';
import { inspectPlugins } from './plugin-inspection.js';

const USAGE =
  'usage: omnicore plugins list [--json] | enable <name…> | disable <name…> | reload <name> | config <name> [key=value ...]';

export async function runPlugins(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [action, name] = positionals;
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(database);
    const store = new PluginStore(database.db);
    const host = await inspectPlugins(config, database, store);
    switch (action) {
      case 'list': {
        const statuses = host.list();
        console.log(values.json ? JSON.stringify(statuses.map(forScripts), null, 2) : table(statuses));
        return 0;
      }
      case 'enable':
      case 'disable': {
        const names = positionals.slice(1);
        if (names.length === 0) throw new Error(USAGE);
        for (const target of names) {
          const known = host.list().find((status) => status.name === target);
          if (!known) throw new Error(`no plugin named "${target}" in ${config.PLUGINS_DIR} or the built-in ones`);
          if (known.refused) throw new Error(`${target} cannot run: ${known.refused.code}: ${known.refused.message}`);
        }
        for (const target of names) {
          await store.setEnabled(target, action === 'enable');
          console.log(`${target} ${action}d`);
        }
        return 0;
      }
      case 'reload': {
        if (!name) throw new Error(USAGE);
        if (!host.list().some((status) => status.name === name && !status.refused)) {
          throw new Error(`no plugin named "${name}" that can run`);
        }
        await store.requestReload(name);
        console.log(`${name}: running servers re-import it within a few seconds`);
        return 0;
      }
      case 'config': {
        if (!name) throw new Error('usage: omnicore plugins config <name> [key=value ...]');
        const pairs = positionals.slice(2);
        const rows = await store.all();
        const current = JSON.parse(rows.find((row) => row.name === name)?.config ?? '{}') as Record<string, unknown>;
        if (pairs.length === 0) {
          console.log(JSON.stringify(current, null, 2));
          return 0;
        }
        const next = { ...current };
        for (const pair of pairs) {
          const [key, ...rest] = pair.split('=');
          if (!key || rest.length === 0) throw new Error(`"${pair}" is not key=value`);
          next[key] = parseValue(rest.join('='));
        }
        await host.configure(name, next);
        console.log(`${name} configured`);
        return 0;
      }
      default:
        throw new Error(USAGE);
    }
  } finally {
    await database.close();
  }
}

/** `5` is a number, `true` a boolean, `["a"]` a list; anything that is not JSON is a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The shape DESIGN.md promises to scripts. */
function forScripts(status: PluginStatus) {
  return {
    name: status.name,
    version: status.version,
    enabled: status.enabled,
    description: status.description,
    commands: status.commands.map(({ command, description }) => ({ command, description })),
    lastError: status.lastError,
    ...(status.refused ? { refused: status.refused } : {}),
  };
}

function table(statuses: PluginStatus[]): string {
  if (statuses.length === 0) return 'no plugins found';
  return statuses
    .map((status) => {
      const state = status.refused ? `refused (${status.refused.code})` : status.enabled ? 'enabled' : 'disabled';
      const commands = status.commands.map((command) => `/${command.command}`).join(' ');
      const error = status.lastError ? `\n    last error: ${status.lastError}` : '';
      return `${status.name} ${status.version} — ${state}\n    ${status.description}${commands ? `\n    commands: ${commands}` : ''}${error}`;
    })
    .join('\n');
}
