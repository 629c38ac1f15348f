// The databases every storage test runs against: a fresh SQLite file, and PostgreSQL
// (TEST_DATABASE_URL, default postgres://127.0.0.1:5432/test) in a schema of its own per run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://127.0.0.1:5432/test';

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
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const separator = POSTGRES_URL.includes('?') ? '&' : '?';
  return {
    kind,
    url: `${POSTGRES_URL}${separator}schema=${schema}`,
    dataDir,
    dispose: async () => {
      // Named in PostgreSQL's activity and logs: which test process drops which schema.
      const admin = await openDatabase({
        url: `${POSTGRES_URL}${separator}application_name=dispose-${process.pid}`,
        dataDir,
      });
      try {
        await sql.raw(`drop schema if exists "${schema}" cascade`).execute(admin.db);
      } finally {
        await admin.close();
      }
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
