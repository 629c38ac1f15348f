// PostgreSQL's part of a backup, through the client programs: pg_dump (custom format) of the
// configured schema, pg_restore into it, and a restore into a scratch database to check a dump.
// The password travels in PGPASSWORD, never on a command line that `ps` shows.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { OmniError } from '../../errors.js';

export interface PostgresTarget {
  /** The connection URL without `schema` or password. */
  url: string;
  password: string | undefined;
  schema: string;
}

/** DATABASE_URL as the tools take it; `?schema=` selects the schema as src/db/database.ts does. */
export function postgresTarget(databaseUrl: string): PostgresTarget {
  const url = new URL(databaseUrl);
  const schema = url.searchParams.get('schema') ?? 'public';
  url.searchParams.delete('schema');
  // As libpq and src/db/database.ts do, a URL without a user name connects as the operating-system user.
  if (!url.username) url.username = process.env.PGUSER ?? userInfo().username;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.password = '';
  return { url: url.toString(), password, schema };
}

function withDatabase(target: PostgresTarget, database: string): PostgresTarget {
  const url = new URL(target.url);
  url.pathname = `/${database}`;
  return { ...target, url: url.toString() };
}

async function runTool(tool: 'pg_dump' | 'pg_restore', args: string[], target: PostgresTarget): Promise<void> {
  const env = { ...process.env, ...(target.password ? { PGPASSWORD: target.password } : {}) };
  const child = spawn(tool, [...args, `--dbname=${target.url}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') {
      throw new OmniError('BACKUP_TOOL_MISSING', `${tool} is not on PATH; install the PostgreSQL client tools`);
    }
    throw error;
  });
  if (code !== 0) throw new Error(`${tool} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
}

export function dumpPostgres(target: PostgresTarget, file: string): Promise<void> {
  return runTool('pg_dump', ['--format=custom', `--schema=${target.schema}`, '--no-owner', `--file=${file}`], target);
}

async function connect(target: PostgresTarget) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: target.url, password: target.password });
  await client.connect();
  return client;
}

/** The last migration applied in the configured schema. */
export async function postgresSchemaVersion(target: PostgresTarget): Promise<string> {
  const client = await connect(target);
  try {
    const result = await client.query<{ name: string }>(
      `select name from "${target.schema}".kysely_migration order by name desc limit 1`,
    );
    const name = result.rows[0]?.name;
    if (!name) throw new Error('the database has no applied migration');
    return name;
  } finally {
    await client.end();
  }
}

/**
 * Restores the dump into a scratch database of its own (so the schema keeps its name and nothing
 * of the live one is touched), counts the rows of every table, and drops the scratch database.
 * Needs the CREATEDB privilege.
 */
export async function checkPostgresDump(target: PostgresTarget, file: string): Promise<Record<string, number>> {
  const scratch = `omnicore_verify_${randomBytes(4).toString('hex')}`;
  const admin = await connect(target);
  try {
    await admin.query(`create database "${scratch}"`);
    try {
      const scratchTarget = withDatabase(target, scratch);
      await runTool('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', file], scratchTarget);
      const client = await connect(scratchTarget);
      try {
        const tables = await client.query<{ table_name: string }>(
          "select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name",
          [target.schema],
        );
        const counts: Record<string, number> = {};
        for (const { table_name: table } of tables.rows) {
          const result = await client.query<{ count: string }>(
            `select count(*) as count from "${target.schema}"."${table.replaceAll('"', '""')}"`,
          );
          counts[table] = Number(result.rows[0]?.count);
        }
        return counts;
      } finally {
        await client.end();
      }
    } finally {
      await admin.query(`drop database if exists "${scratch}" with (force)`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Replaces the configured schema with the dump's. The live schema is renamed aside first and
 * dropped only once the dump restored, so a failed restore puts it back as it was.
 */
export async function restorePostgres(target: PostgresTarget, file: string): Promise<void> {
  const aside = `${target.schema.slice(0, 40)}_before_restore_${randomBytes(3).toString('hex')}`;
  const client = await connect(target);
  try {
    const live = await client.query('select 1 from pg_namespace where nspname = $1', [target.schema]);
    const hadSchema = live.rowCount === 1;
    if (hadSchema) await client.query(`alter schema "${target.schema}" rename to "${aside}"`);
    try {
      await runTool('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', file], target);
    } catch (error) {
      await client.query(`drop schema if exists "${target.schema}" cascade`);
      if (hadSchema) await client.query(`alter schema "${aside}" rename to "${target.schema}"`);
      throw error;
    }
    if (hadSchema) await client.query(`drop schema "${aside}" cascade`);
  } finally {
    await client.end();
  }
}
