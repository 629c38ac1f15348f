// One `vitest` run's identity, as its global setup (vitest.config.ts) gives it: the PostgreSQL
// schemas its files make carry it, and are dropped together once every file is done, never while
// files run: a schema dropped during a catalog listing (Kysely's introspection lists every schema's
// tables) fails that listing in another file. Runs side by side leave each other's schemas be.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
/** Set by the global setup for the workers, which inherit the environment. */
export const TEST_RUN_VARIABLE = 'OMNICORE_TEST_RUN';

export async function dropSchemas(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = await openDatabase({ url: POSTGRES_URL, dataDir: tmpdir() });
  try {
    await sql.raw(`drop schema if exists ${names.map((name) => `"${name}"`).join(', ')} cascade`).execute(admin.db);
  } finally {
    await admin.close();
  }
}

/** vitest's global setup: names the run, and returns its teardown. */
export default function setup(): () => Promise<void> {
  const run = randomBytes(3).toString('hex');
  process.env[TEST_RUN_VARIABLE] = run;
  return async () => {
    const admin = await openDatabase({ url: POSTGRES_URL, dataDir: tmpdir() }).catch(() => undefined);
    // No PostgreSQL, no schemas to drop (a run of SQLite-only files on a machine without it).
    if (!admin) return;
    try {
      const rows = await sql<{
        nspname: string;
      }>`select nspname from pg_namespace where nspname like ${`t\\_${run}\\_%`}`.execute(admin.db);
      await dropSchemas(rows.rows.map((row) => row.nspname));
    } finally {
      await admin.close();
    }
  };
}
