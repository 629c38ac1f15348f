// The backup section of `npm run bench`: a database with BENCH_ANALYTICS_EVENTS (1,000,000) usage
// events, then `omnicore backup create`, `verify` and `restore` (the built CLI, as an operator runs
// them) timed, and the archive's size.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createTestDatabase } from '../test/support/databases.js';
import { EVENTS, fill, seconds } from './analytics.js';
import { ROOT } from './settings.js';

export const BACKUP_SECTIONS = ['backup-sqlite', 'backup-postgres'] as const;
export type BackupSection = (typeof BACKUP_SECTIONS)[number];

const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');

export async function runBackupBench(section: BackupSection, log: (line: string) => void): Promise<void> {
  const kind = section === 'backup-sqlite' ? 'sqlite' : 'postgres';
  const database = await createTestDatabase(kind);
  const env = {
    PATH: process.env.PATH ?? '',
    DATA_DIR: database.dataDir,
    ...(database.url ? { DATABASE_URL: database.url } : {}),
  };
  const omnicore = (...args: string[]): string =>
    execFileSync(process.execPath, [CLI, 'backup', ...args], { env, cwd: database.dataDir, encoding: 'utf8' });
  try {
    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    try {
      await migrateToLatest(handle);
      await fill(handle.db);
    } finally {
      await handle.close();
    }
    log(`  ${EVENTS.toLocaleString('en')} usage events`);
    let started = performance.now();
    const id = /backup (\S+) created/.exec(omnicore('create'))?.[1] as string;
    const bytes = statSync(path.join(database.dataDir, 'backups', `${id}.tar.gz`)).size;
    log(`  create   ${seconds(started).padStart(8)}   archive ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    started = performance.now();
    omnicore('verify', id);
    log(`  verify   ${seconds(started).padStart(8)}`);
    started = performance.now();
    omnicore('restore', id);
    log(`  restore  ${seconds(started).padStart(8)}   (verifies again first)`);
  } finally {
    await database.dispose();
  }
}
