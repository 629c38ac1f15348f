// `omnicore backup create | list [--json] | verify <id> | restore <id> | prune [--json]`: backups of
// the database and DATA_DIR files (see src/ops/backup/). The passphrase of encrypted backups is
// BACKUP_PASSPHRASE, or with --passphrase-stdin the first line of stdin (never on the command
// line, where `ps` shows it). On a terminal, a line on stderr as each part is done. Every change is
// in the audit log with the actor "cli".
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../config/env.js';
import { AuditLog } from '../db/audit-log.js';
import { type DatabaseHandle, openConfiguredDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { SettingsStore } from '../db/settings-store.js';
import { OmniError } from '../errors.js';
import { checkedBackupId } from '../ops/backup/backup-files.js';
import type { BackupOptions } from '../ops/backup/backup-options.js';
import { createBackup } from '../ops/backup/create-backup.js';
import { listBackups } from '../ops/backup/list-backups.js';
import { pruneBackups } from '../ops/backup/prune-backups.js';
import { restoreBackup } from '../ops/backup/restore-backup.js';
import { verifyBackup } from '../ops/backup/verify-backup.js';
import { openCliDatabase, serverWorksOn } from './server-database.js';
import { UsageError } from './usage.js';

const ACTIONS_WITH_ID = ['verify', 'restore'];
const ACTIONS = ['create', 'list', 'prune', ...ACTIONS_WITH_ID];

export async function runBackup(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, 'passphrase-stdin': { type: 'boolean' } },
  });
  const [action, id, ...extra] = positionals;
  if (!ACTIONS.includes(action ?? '')) throw new UsageError(action ? `unknown action "${action}"` : 'no action');
  if (ACTIONS_WITH_ID.includes(action as string) && !id) throw new UsageError(`backup ${action} needs a backup id`);
  const unexpected = ACTIONS_WITH_ID.includes(action as string) ? extra[0] : id;
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  const config = loadConfig();
  const passphrase = values['passphrase-stdin']
    ? ((await text(process.stdin)).split(/\r?\n/)[0] ?? '')
    : config.BACKUP_PASSPHRASE;
  const options: BackupOptions = {
    config,
    passphrase,
    ...(process.stderr.isTTY ? { onProgress: (step: string) => console.error(`  ${step}`) } : {}),
  };
  switch (action) {
    case 'list':
      return list(config, values.json === true);
    case 'create':
      return withDatabase(config, true, async (database) => {
        const backup = await createBackup({ ...options, database });
        console.log(`backup ${backup.id} created (${megabytes(backup.bytes)}${passphrase ? ', encrypted' : ''})`);
        await audit(database, 'backup.create', backup.id);
      });
    case 'verify': {
      const report = await verifyBackup(checkedBackupId(id as string), options);
      const rows = Object.values(report.tables).reduce((sum, count) => sum + count, 0);
      const { manifest } = report;
      console.log(
        `backup ${report.id} is good: ${manifest.database}, ${Object.keys(report.tables).length} tables, ${rows} rows, schema ${manifest.schemaVersion}, OMNICore ${manifest.omnicoreVersion}${manifest.gitCommit ? ` (${manifest.gitCommit.slice(0, 12)})` : ''}`,
      );
      await withDatabase(config, false, (database) => audit(database, 'backup.verify', report.id));
      return 0;
    }
    case 'restore': {
      await refuseWhileServing(config);
      const report = await restoreBackup(checkedBackupId(id as string), options);
      console.log(
        `backup ${report.id} restored${report.migrated.length ? `; ${report.migrated.length} newer migration(s) applied` : ''}`,
      );
      await withDatabase(config, false, (database) => audit(database, 'backup.restore', report.id));
      return 0;
    }
    default:
      return withDatabase(config, true, async (database) => {
        const settings = new SettingsStore(database.db);
        await settings.refresh();
        const result = await pruneBackups(config.DATA_DIR, {
          keepLast: settings.get('backup.keepLast'),
          keepDaily: settings.get('backup.keepDaily'),
          keepWeekly: settings.get('backup.keepWeekly'),
        });
        console.log(
          values.json
            ? JSON.stringify(result, null, 2)
            : `${result.removed.length} backup(s) removed, ${result.kept.length} kept`,
        );
        await audit(database, 'backup.prune', null, { removed: result.removed });
      });
  }
}

async function list(config: Config, json: boolean): Promise<number> {
  const backups = await listBackups(config.DATA_DIR);
  const entries = backups.map((backup) => ({
    id: backup.id,
    createdAt: backup.createdAt.toISOString(),
    bytes: backup.bytes,
  }));
  if (json) console.log(JSON.stringify(entries, null, 2));
  else if (entries.length === 0) console.log('no backups yet');
  else for (const entry of entries) console.log(`${entry.id}  ${entry.createdAt}  ${megabytes(entry.bytes)}`);
  return 0;
}

async function withDatabase(
  config: Config,
  warn: boolean,
  work: (database: DatabaseHandle) => Promise<void>,
): Promise<number> {
  const database = warn ? await openCliDatabase(config) : await openConfiguredDatabase(config);
  try {
    // As every command does: a data directory no server has opened yet has its tables made first.
    await migrateToLatest(database);
    await work(database);
    return 0;
  } finally {
    await database.close();
  }
}

function audit(database: DatabaseHandle, action: string, target: string | null, details?: unknown): Promise<void> {
  return new AuditLog(database.db).record({ actor: 'cli', action, target, ...(details ? { details } : {}) });
}

/** A restore under a running server would pull the data from under it: it must be stopped first. */
async function refuseWhileServing(config: Config): Promise<void> {
  const database = await openConfiguredDatabase(config);
  try {
    if (await serverWorksOn(config, database)) {
      throw new OmniError('BACKUP_SERVER_RUNNING', `the server on port ${config.PORT} works on this database`);
    }
  } finally {
    await database.close();
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}
