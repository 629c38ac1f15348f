// `omnicore update check|apply|rollback|history`: the self-update of a git-checkout install (see
// src/ops/update). Every verb first recovers an update whose updater died (update-recovery.ts).
import { parseArgs } from 'node:util';
import type { Config } from '../config/env.js';
import { loadConfig } from '../config/env.js';
import { localServerUrl } from '../config/server-url.js';
import { openConfiguredDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { updateSource } from '../ops/maintenance/update-source.js';
import { GitCheckout } from '../ops/update/git-checkout.js';
import { installDirectory } from '../ops/update/install-dir.js';
import { rollBackByHand } from '../ops/update/manual-rollback.js';
import type { UpdateEnvironment } from '../ops/update/types.js';
import { applyUpdate } from '../ops/update/update-apply.js';
import { updateBackup } from '../ops/update/update-backup.js';
import { checkForUpdate, resolveTarget } from '../ops/update/update-check.js';
import { UpdateHistory, type UpdateRecord } from '../ops/update/update-history.js';
import { recoverUnfinishedUpdate } from '../ops/update/update-recovery.js';
import { UsageError } from './usage.js';

export function updateEnvironment(config: Config): UpdateEnvironment {
  return {
    installDir: installDirectory(),
    dataDir: config.DATA_DIR,
    backup: updateBackup(config, config.BACKUP_PASSPHRASE),
    serverUrl: localServerUrl(config.HOST, config.PORT),
    emulator: config.BOT_MODE === 'emulator',
    // Alerts to admins need the running bot; the CLI's line at error level is what the log keeps.
    alert: async (message) => console.error(`omnicore: ALERT: ${message}`),
    progress: (line) => console.log(line),
  };
}

/** `omnicore run` before it starts the server: an update whose updater died is finished or undone. */
export async function recoverAtStart(config: Config): Promise<void> {
  const record = await recoverUnfinishedUpdate(updateEnvironment(config), await historyOf(config));
  if (record) console.error(`omnicore run: an interrupted update was ${record.status}: ${record.result}`);
}

/** The history, on a schema brought up to date first: its columns come from a migration. */
async function historyOf(config: Config): Promise<UpdateHistory> {
  const handle = await openConfiguredDatabase(config);
  try {
    await migrateToLatest(handle);
  } finally {
    await handle.close();
  }
  return new UpdateHistory(() => openConfiguredDatabase(config));
}

export async function runUpdate(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean', default: false }, to: { type: 'string' } },
    allowPositionals: false,
  });
  const config = loadConfig();
  const env = updateEnvironment(config);
  const history = await historyOf(config);
  const recovered = await recoverUnfinishedUpdate(env, history);
  if (recovered) console.log(`recovered an interrupted update: ${recovered.status} (${recovered.result})`);
  const git = new GitCheckout(env.installDir);
  switch (sub) {
    case 'check': {
      const check = await checkForUpdate(git, updateSource(config));
      if (values.json) console.log(JSON.stringify(check));
      else {
        console.log(`current:   ${check.current.version} (${check.current.commit.slice(0, 12)})`);
        console.log(
          `available: ${check.available.version} (${check.available.commit.slice(0, 12)}, ${check.available.ref})`,
        );
        console.log(
          check.upToDate ? 'up to date' : ['changes:', ...check.changelog.map((line) => `  ${line}`)].join('\n'),
        );
      }
      return 0;
    }
    case 'apply': {
      const record = await applyUpdate(env, history, {
        target: (checkout) => resolveTarget(checkout, updateSource(config), values.to),
      });
      return report(record);
    }
    case 'rollback':
      return report(await rollBackByHand(env, history));
    case 'history': {
      const rows = await history.list();
      if (values.json) console.log(JSON.stringify(rows.map(({ log: _log, ...row }) => row)));
      else
        for (const row of rows) {
          const when = new Date(row.startedAt).toISOString();
          console.log(`${row.id}  ${when}  ${row.fromVersion} → ${row.toVersion}  ${row.status}  ${row.result ?? ''}`);
        }
      return 0;
    }
    default:
      throw new UsageError(sub ? `unknown subcommand "${sub}"` : 'missing subcommand');
  }
}

function report(record: UpdateRecord | undefined): number {
  if (!record) {
    console.log('already at the target version');
    return 0;
  }
  console.log(`${record.status}: ${record.result}`);
  return record.status === 'succeeded' ? 0 : 1;
}
