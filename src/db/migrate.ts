// Runs the dated migrations in src/db/migrations, in name order. Called at start and by `omnicore migrate`.
import { type DatabaseIntrospector, type Kysely, type Migration, type MigrationResult, Migrator, sql } from 'kysely';
import type { DatabaseHandle } from './database.js';
import * as admin20261125 from './migrations/2026-11-25.04-admin.js';
import * as observer20261125 from './migrations/2026-11-25.05-observer.js';
import * as aiUsage20261125 from './migrations/2026-11-25.06-ai-usage.js';
import * as security20261125 from './migrations/2026-11-25.07-security.js';
import * as usageAnalytics20261125 from './migrations/2026-11-25.08-usage-analytics.js';
import * as signInAttempts20261125 from './migrations/2026-11-25.09-sign-in-attempts.js';
import * as core20261125 from './migrations/2026-11-25-core.js';
import * as pluginReload20261125 from './migrations/2026-11-25-plugin-reload.js';
import * as pluginStorage20261125 from './migrations/2026-11-25-plugin-storage.js';
import * as usersBlockedBot20261129 from './migrations/2026-11-29.01-users-blocked-bot.js';
import * as pluginStorageVersion20261129 from './migrations/2026-11-29.02-plugin-storage-version.js';
import * as payments20261130 from './migrations/2026-11-30.01-payments.js';
import * as paymentEventDetails20261130 from './migrations/2026-11-30.02-payment-event-details.js';
import * as updateHistory20261130 from './migrations/2026-11-30.03-update-history.js';
import * as pluginSearch20261130 from './migrations/2026-11-30.04-plugin-search.js';
import * as pluginBlobs20261130 from './migrations/2026-11-30.05-plugin-blobs.js';
import * as pluginJobs20261130 from './migrations/2026-11-30.06-plugin-jobs.js';
import * as pluginSecrets20261130 from './migrations/2026-11-30.07-plugin-secrets.js';
import * as instances20261201 from './migrations/2026-12-01.01-instances.js';
import * as instanceRows20261201 from './migrations/2026-12-01.02-instance-rows.js';
import * as pendingByChat20261201 from './migrations/2026-12-01.03-pending-by-chat.js';
import * as experiments20261202 from './migrations/2026-12-02.01-experiments.js';
import * as auditByAction20261202 from './migrations/2026-12-02.02-audit-by-action.js';
import * as experimentVariants20261202 from './migrations/2026-12-02.03-experiment-variants.js';
import type { Database } from './schema.js';

// A static list rather than a folder scan: the build cannot forget a file. Kysely runs migrations
// in name order and refuses to run one whose name sorts before an applied one, so a new name must
// sort after every existing name: the date, then a two-digit sequence ("2026-11-25.07-topic").
const migrations: Record<string, Migration> = {
  '2026-11-25-core': core20261125,
  '2026-11-25-plugin-reload': pluginReload20261125,
  '2026-11-25-plugin-storage': pluginStorage20261125,
  '2026-11-25.04-admin': admin20261125,
  '2026-11-25.05-observer': observer20261125,
  '2026-11-25.06-ai-usage': aiUsage20261125,
  '2026-11-25.07-security': security20261125,
  '2026-11-25.08-usage-analytics': usageAnalytics20261125,
  '2026-11-25.09-sign-in-attempts': signInAttempts20261125,
  '2026-11-29.01-users-blocked-bot': usersBlockedBot20261129,
  '2026-11-29.02-plugin-storage-version': pluginStorageVersion20261129,
  '2026-11-30.01-payments': payments20261130,
  '2026-11-30.02-payment-event-details': paymentEventDetails20261130,
  '2026-11-30.03-update-history': updateHistory20261130,
  '2026-11-30.04-plugin-search': pluginSearch20261130,
  '2026-11-30.05-plugin-blobs': pluginBlobs20261130,
  '2026-11-30.06-plugin-jobs': pluginJobs20261130,
  '2026-11-30.07-plugin-secrets': pluginSecrets20261130,
  '2026-12-01.01-instances': instances20261201,
  '2026-12-01.02-instance-rows': instanceRows20261201,
  '2026-12-01.03-pending-by-chat': pendingByChat20261201,
  '2026-12-02.01-experiments': experiments20261202,
  '2026-12-02.02-audit-by-action': auditByAction20261202,
  '2026-12-02.03-experiment-variants': experimentVariants20261202,
};

export const MIGRATION_NAMES = Object.keys(migrations);

export async function migrateToLatest(
  { db, schema }: DatabaseHandle,
  names: readonly string[] = MIGRATION_NAMES,
): Promise<MigrationResult[]> {
  const selected = Object.fromEntries(names.map((name) => [name, migrations[name] as Migration]));
  // Naming the schema matters: otherwise Kysely may take another schema's migration table for ours.
  const migrator = new Migrator({
    db: schema ? lookingOnlyAt(db, schema) : db,
    provider: { getMigrations: async () => selected },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? '(setup)'} failed: ${reason}`);
  }
  return results ?? [];
}

/**
 * The database as the migrator sees it, its introspection narrowed to our schema. Kysely's own lists
 * every table of every schema on the server, with per-column functions that fail ("schema … does
 * not exist", naming theirs) when another program drops a schema meanwhile: other apps on a shared
 * server, other test runs. The migrator only asks whether our schema and its two tables exist.
 */
function lookingOnlyAt(db: Kysely<Database>, schema: string): Kysely<Database> {
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => {
      const found = await sql<{
        name: string;
      }>`select nspname as name from pg_namespace where nspname = ${schema}`.execute(db);
      return found.rows;
    },
    getTables: async () => {
      const found = await sql<{ name: string }>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'p')`.execute(db);
      return found.rows.map((row) => ({ name: row.name, schema, isView: false, columns: [] }));
    },
    getMetadata: async () => ({ tables: await introspection.getTables() }),
  };
  // Kysely keeps its state in private fields: its methods must run on the instance, not the proxy.
  return new Proxy(db, {
    get: (target, property) => {
      if (property === 'introspection') return introspection;
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
