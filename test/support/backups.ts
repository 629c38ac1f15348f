// Helpers for backup tests: the configuration a test database implies, and changes to an archive
// on disk (bytes flipped, cut short, a part dropped or its manifest rewritten).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create, extract } from 'tar';
import { type Config, loadConfig } from '../../src/config/env.js';
import type { TestDatabase } from './databases.js';

export function backupConfig(database: TestDatabase, env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: database.dataDir, DATABASE_URL: database.url, ...env });
}

/** Unpacks the archive, lets `change` edit its folder, and packs it again under the same name. */
export async function rewriteArchive(file: string, change: (dir: string) => void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'omnicore-archive-'));
  try {
    await extract({ file, cwd: dir });
    change(dir);
    await create({ file, cwd: dir, gzip: true }, await readdir(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function cutShort(file: string, keepFraction: number): void {
  const bytes = readFileSync(file);
  writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * keepFraction)));
}

export function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  const index = Math.floor(bytes.length * at);
  bytes[index] = (bytes[index] as number) ^ 0xff;
  writeFileSync(file, bytes);
}
