// Runs the dated migrations in src/db/migrations, in name order. Called at start and by `omnicore migrate`.
import { type Migration, type MigrationResult, Migrator } from 'kysely';
import type { DatabaseHandle } from './database.js';
import * as core20261125 from './migrations/2026-11-25-core.js';
import * as pluginReload20261125 from './migrations/2026-11-25-plugin-reload.js';
import * as pluginStorage20261125 from './migrations/2026-11-25-plugin-storage.js';
import * as usageAnalytics20261125 from './migrations/2026-11-25-usage-analytics.js';

// A static list rather than a folder scan: the build cannot forget a file, and order is explicit.
const migrations: Record<string, Migration> = {
  '2026-11-25-core': core20261125,
  '2026-11-25-plugin-storage': pluginStorage20261125,
  '2026-11-25-plugin-reload': pluginReload20261125,
  '2026-11-25-usage-analytics': usageAnalytics20261125,
};

export async function migrateToLatest({ db, schema }: DatabaseHandle): Promise<MigrationResult[]> {
  // Naming the schema matters: otherwise Kysely may take another schema's migration table for ours.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
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
