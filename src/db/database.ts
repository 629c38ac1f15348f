// Opens the platform's database: SQLite (better-sqlite3, WAL) in DATA_DIR by default, PostgreSQL (pg)
// when DATABASE_URL says postgres://. A `?schema=` parameter on a PostgreSQL URL selects (and creates)
// a schema, which is how the test suite gives each run its own.
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config/env.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** PostgreSQL only: the schema the tables live in. */
  readonly schema?: string;
  /** Where the data lives, with any password left out: fit for logs and status pages. */
  readonly location: string;
  /**
   * SQLite only: runs a write at once, on the calling turn. better-sqlite3 is synchronous anyway;
   * this skips the queue of Kysely's single connection, for a write that must land before code runs.
   */
  readonly runNow?: (query: CompiledQuery) => void;
  /**
   * PostgreSQL only: a connection of its own, outside the pool, named `applicationName` in
   * pg_stat_activity: for session state that must live exactly as long as it (advisory locks).
   */
  readonly connectSession?: (applicationName: string) => Promise<pg.Client>;
  /** PostgreSQL only: hears the notifications of a channel (LISTEN) on a connection of its own. */
  readonly listen?: Listen;
  /**
   * PostgreSQL only: connections of their own for keeping leases alive among instances, which must
   * not wait behind the platform's queries when the main pool is busy.
   */
  readonly upkeep?: Kysely<Database>;
  /**
   * Where the platform keeps its own bookkeeping (the inbox's start counts and completions, the call
   * journal, user activity). On PostgreSQL its commits do not wait for the disk (synchronous_commit
   * off): a killed process of ours loses none of them, a crash of the database server may lose the
   * last fraction of a second, which costs a repeat, never an update. What is acknowledged to the
   * outside (a stored update, a payment) goes through `db` and waits. On SQLite, `db` itself.
   */
  readonly bookkeeping: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Resolves once listening, with the function that stops it. `onError`: the connection broke, and
 * nothing more is heard until listening again. `name`: the connection's application_name, by which
 * other processes can see in pg_stat_activity that this one is alive.
 */
export type Listen = (
  channel: string,
  onNotification: (payload: string) => void,
  onError: (error: Error) => void,
  name?: string,
) => Promise<() => Promise<void>>;

const INT8_OID = 20;

export interface DatabaseOptions {
  url?: string | undefined;
  dataDir: string;
  /** SQLite only: `normal` survives a killed process, `full` also a power cut, at ~10× the cost of a commit. */
  sqliteSynchronous?: 'normal' | 'full';
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const url = options.url;
  if (isPostgresUrl(url)) return openPostgres(url as string);
  return openSqlite(sqliteFile(url, options.dataDir), options.sqliteSynchronous ?? 'normal');
}

export function isPostgresUrl(url: string | undefined): boolean {
  return !!url && /^postgres(ql)?:\/\//.test(url);
}

/** The absolute path of the SQLite file that a (non-PostgreSQL) DATABASE_URL and DATA_DIR name. */
export function sqliteFile(url: string | undefined, dataDir: string): string {
  const file = url?.startsWith('sqlite:') ? url.slice('sqlite:'.length) : path.join(dataDir, 'omnicore.db');
  return path.resolve(dataDir, file);
}

/** The database the configuration names: what the server, the CLI and every tool open. */
export function openConfiguredDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'SQLITE_SYNCHRONOUS'>,
): Promise<DatabaseHandle> {
  return openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS,
  });
}

function openSqlite(file: string, synchronous: 'normal' | 'full'): DatabaseHandle {
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // In WAL mode NORMAL keeps every commit across a crash of the process (kill -9); FULL adds an fsync
  // per commit so that it also survives a power cut, which costs ~0.5 ms of blocked event loop each.
  sqlite.pragma(`synchronous = ${synchronous.toUpperCase()}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  const runNow = (query: CompiledQuery): void => {
    statements.prepare(query.sql).run(query.parameters);
  };
  return { db, kind: 'sqlite', location: file, runNow, bookkeeping: db, close: () => db.destroy() };
}

async function openPostgres(rawUrl: string): Promise<DatabaseHandle> {
  const url = new URL(rawUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  // As libpq does, a URL without a user name connects as the operating-system user.
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`DATABASE_URL: schema "${schema}" must be a lower-case SQL identifier`);
  }
  // Loaded here only: a SQLite server never pays for the PostgreSQL driver.
  const { default: pg } = await import('pg');
  // Telegram ids and epoch milliseconds fit in a double; reading int8 as number keeps both dialects alike.
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };
  const connectionString = url.toString();
  if (schema) {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const searchPath = schema ? `-c search_path=${schema}` : '';
  const connection = { connectionString, types, ...(searchPath ? { options: searchPath } : {}) };
  const pool = new pg.Pool({ ...connection, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const upkeep = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ ...connection, max: 2 }) }),
  });
  // Measured (npm run bench, PostgreSQL on the same two cores): a WAL flush per bookkeeping commit
  // took PostgreSQL to 75 % of a core and held replies at 647/s; without it, 34 % and 722/s.
  const bookkeeping = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ ...connection, options: `${searchPath} -c synchronous_commit=off`.trim(), max: 4 }),
    }),
  });
  // A pooled connection cannot listen: it is handed to other queries between notifications.
  const listen: Listen = async (channel, onNotification, onError, name) => {
    const client = new pg.Client({ ...connection, ...(name ? { application_name: name } : {}) });
    client.on('error', onError);
    client.on('notification', (message) => {
      if (message.channel === channel) onNotification(message.payload ?? '');
    });
    await client.connect();
    try {
      await client.query(`listen "${channel.replaceAll('"', '""')}"`);
    } catch (error) {
      await client.end();
      throw error;
    }
    return () => client.end();
  };
  const connectSession = async (applicationName: string): Promise<pg.Client> => {
    const client = new pg.Client({ ...connection, application_name: applicationName });
    await client.connect();
    return client;
  };
  url.password = '';
  return {
    db,
    kind: 'postgres',
    schema: schema ?? 'public',
    location: url.toString(),
    connectSession,
    listen,
    upkeep,
    bookkeeping,
    close: async () => {
      await upkeep.destroy();
      await bookkeeping.destroy();
      await db.destroy();
    },
  };
}

/** A cheap round trip, for readiness checks. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
