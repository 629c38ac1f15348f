// The databases every storage test runs against: a fresh SQLite file, and PostgreSQL
// (TEST_DATABASE_URL, default postgres://127.0.0.1:5432/test) in a schema of its own per run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { dropSchemas, POSTGRES_URL, TEST_RUN_VARIABLE } from './test-run.js';

export { POSTGRES_URL } from './test-run.js';

export interface TestDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** For DATABASE_URL; undefined means "SQLite in DATA_DIR". */
  readonly url: string | undefined;
  readonly dataDir: string;
  dispose(): Promise<void>;
}

export const DATABASE_KINDS = ['sqlite', 'postgres'] as const;

export async function createTestDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-test-'));
  if (kind === 'sqlite') {
    return { kind, url: undefined, dataDir, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  // Under vitest, a run's schemas carry its id and are dropped together once every file is done
  // (test/support/test-run.ts); elsewhere (the benchmarks) dispose drops at once.
  const run = process.env[TEST_RUN_VARIABLE];
  const schema = `t_${run ? `${run}_` : ''}${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    kind,
    url: `${POSTGRES_URL}${separator}schema=${schema}`,
    dataDir,
    dispose: async () => {
      if (!run) await dropSchemas([schema]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface MigratedDatabase {
  readonly database: TestDatabase;
  readonly handle: DatabaseHandle;
}

/**
 * A test database of `kind`, opened and migrated before the calling describe block's tests and
 * closed and dropped after them. Its fields are set once started.
 */
export function useMigratedDatabase(kind: 'sqlite' | 'postgres'): MigratedDatabase {
  let database: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    await migrateToLatest(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await database?.dispose();
  });
  return {
    get database() {
      return database as TestDatabase;
    },
    get handle() {
      return handle as DatabaseHandle;
    },
  };
}
