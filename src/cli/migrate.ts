// `omnicore migrate`: applies pending migrations to DATABASE_URL (or the SQLite file in DATA_DIR).
import { loadConfig } from '../config/env.js';
import { migrateToLatest } from '../db/migrate.js';
import { openCliDatabase } from './server-database.js';
import { UsageError } from './usage.js';

export async function runMigrate(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  const config = loadConfig();
  const database = await openCliDatabase(config);
  try {
    const results = await migrateToLatest(database);
    const applied = results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
    console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'the database is up to date');
    return 0;
  } finally {
    await database.close();
  }
}
