// `omnicore plugins list [--json] | enable <name…> | disable <name…> | reload <name> | config <name>
// [key=value…]`: works on the same database as the server; a running server follows the change
// at once when they share REDIS_URL (a change signal), else within a second or two. Each change is recorded in the audit log with the actor "cli", under the
// same action names the admin panel uses.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/env.js';
import { AuditLog } from '../db/audit-log.js';
import { migrateToLatest } from '../db/migrate.js';
import type { PluginStatus } from '../plugins/host.js';
import { PluginStore } from '../plugins/store.js';
import { openCliChangeSignal } from './change-signal.js';
import { changePluginConfig, describePluginConfig } from './plugin-config.js';
import { inspectPlugins } from './plugin-inspection.js';
import { openCliDatabase } from './server-database.js';
import { UsageError } from './usage.js';

const ACTIONS = ['list', 'enable', 'disable', 'reload', 'config'];

export async function runPlugins(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  const [action, ...names] = positionals;
  if (!action || !ACTIONS.includes(action)) throw new UsageError(action ? `unknown action "${action}"` : 'no action');
  if (action !== 'list' && names.length === 0) throw new UsageError(`plugins ${action} needs a plugin name`);
  if ((action === 'list' && names.length > 0) || (action === 'reload' && names.length > 1)) {
    throw new UsageError(`unexpected argument "${names.at(-1)}"`);
  }
  const config = loadConfig();
  const database = await openCliDatabase(config);
  const signal = await openCliChangeSignal(config);
  try {
    await migrateToLatest(database);
    const store = new PluginStore(database.db, signal);
    const host = await inspectPlugins(config, database, store);
    const audit = new AuditLog(database.db);
    const runnable = (target: string): PluginStatus => {
      const status = host.list().find((entry) => entry.name === target);
      if (!status) throw new Error(`no plugin named "${target}" in ${config.PLUGINS_DIR} or the built-in ones`);
      if (status.refused) throw new Error(`${target} cannot run: ${status.refused.code}: ${status.refused.message}`);
      return status;
    };
    switch (action) {
      case 'list': {
        const statuses = host.list();
        console.log(values.json ? JSON.stringify(statuses.map(forScripts), null, 2) : table(statuses));
        return 0;
      }
      case 'enable':
      case 'disable': {
        for (const target of names) runnable(target);
        for (const target of names) {
          await store.setEnabled(target, action === 'enable');
          await audit.record({ actor: 'cli', action: `plugin.${action}`, target });
          console.log(`${target} ${action}d`);
        }
        return 0;
      }
      case 'reload': {
        const { name } = runnable(names[0] as string);
        await store.requestReload(name);
        await audit.record({ actor: 'cli', action: 'plugin.reload', target: name });
        console.log(`${name}: running servers re-import it within a few seconds`);
        return 0;
      }
      default: {
        const [target, ...pairs] = names as [string, ...string[]];
        const { name } = runnable(target);
        if (pairs.length === 0) {
          console.log(await describePluginConfig(host, store, name));
          return 0;
        }
        const keys = await changePluginConfig(host, store, name, pairs);
        // Key names only: a plugin's configuration may hold a token.
        await audit.record({ actor: 'cli', action: 'plugin.configure', target: name, details: keys });
        console.log(`${name} configured: ${keys.join(', ')}`);
        return 0;
      }
    }
  } finally {
    await signal.close();
    await database.close();
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
