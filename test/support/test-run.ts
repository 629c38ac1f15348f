// One `vitest` run's identity, as its global setup (vitest.config.ts) gives it: the PostgreSQL
// schemas its files make carry it, and are dropped together once every file is done, never while
// files run: a schema dropped during a catalog listing (Kysely's introspection lists every schema's
// tables) fails that listing in another file. Runs side by side leave each other's schemas be. The
// run also has one model cache for its platforms, removed at its end.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';
/** Set by the global setup for the workers, which inherit the environment. */
export const TEST_RUN_VARIABLE = 'OMNICORE_TEST_RUN';

export async function dropSchemas(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = await openDatabase({ url: POSTGRES_URL, dataDir: tmpdir() });
  try {
    // One statement per schema: a drop holds a lock on every table it drops until it commits, and a
    // whole run's schemas at once exceed PostgreSQL's lock table ("out of shared memory").
    for (const name of names) await sql.raw(`drop schema if exists "${name}" cascade`).execute(admin.db);
  } finally {
    await admin.close();
  }
}

/** Set by the global setup: the CACHE_DIR every platform of the run shares (plugin test beds read it too). */
const CACHE_VARIABLE = 'CACHE_DIR';

/**
 * The run's CACHE_DIR, for a platform's environment: trained conversation models are the same for
 * most platforms a run starts, and each would spend most of a second of CPU training them again.
 */
export function runCache(): { CACHE_DIR?: string } {
  const dir = process.env[CACHE_VARIABLE];
  return dir ? { CACHE_DIR: dir } : {};
}

/** vitest's global setup: names the run, and returns its teardown. */
export default function setup(): () => Promise<void> {
  const run = randomBytes(3).toString('hex');
  process.env[TEST_RUN_VARIABLE] = run;
  const cacheDir = path.join(tmpdir(), `omnicore-test-cache-${run}`);
  process.env[CACHE_VARIABLE] = cacheDir;
  return async () => {
    await rm(cacheDir, { recursive: true, force: true });
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
