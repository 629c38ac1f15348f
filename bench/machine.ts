// Describes the machine a run happened on: CPU model, cores, memory, Node and PostgreSQL versions.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { POSTGRES_URL } from '../test/support/databases.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  postgres: string;
}

export async function describeMachine(): Promise<Machine> {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    postgres: await postgresVersion(),
  };
}

function cpuModel(): string {
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    return model?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

async function postgresVersion(): Promise<string> {
  // As libpq (and OMNICore) do, a URL without a user name connects as the operating-system user.
  const url = new URL(POSTGRES_URL);
  if (!url.username) url.username = process.env.PGUSER ?? os.userInfo().username;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('show server_version');
    return `PostgreSQL ${result.rows[0]?.server_version ?? '?'}`;
  } catch (error) {
    return `PostgreSQL unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => {});
  }
}
