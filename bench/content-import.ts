// The content store's import as an operator runs it (`omnicore content import FILE`, the built CLI in
// a process of its own, on SQLite): items per second, the process's peak memory (VmHWM) for a small
// and a ten times larger file — an import reads a line at a time, so the two should be close — and
// what brotli made of the real text (bytes as saved against bytes stored).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { ROOT } from './settings.js';

const SIZES = [2_000, 20_000];

export async function measureContentImport(paragraphs: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const size of SIZES) lines.push(await importOnce(paragraphs, size));
  return lines;
}

async function importOnce(paragraphs: readonly string[], size: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'omnicore-bench-import-'));
  try {
    const file = path.join(dir, 'items.jsonl');
    writeFileSync(file, items(paragraphs, size));
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli/main.js'), 'content', 'import', file], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'silent', PORT: '0' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    let peak = 0;
    const watch = setInterval(() => {
      peak = Math.max(peak, peakRss(child.pid));
    }, 20);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearInterval(watch);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`the import exited ${code}: ${output.trim()}`);
    const { saved, stored } = await compression(path.join(dir, 'data'));
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    return (
      `content import of ${size.toLocaleString('en')} items (omnicore content import, SQLite): ` +
      `${Math.round(size / seconds)} items/s, peak RSS ${mib(peak)} MiB; ` +
      `compression ${(saved / stored).toFixed(2)}× (${mib(saved)} → ${mib(stored)} MiB)`
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One JSON line per item, as `omnicore content export` writes them. */
function items(paragraphs: readonly string[], size: number): string {
  const count = paragraphs.length;
  return Array.from({ length: size }, (_, i) => {
    const text = `${paragraphs[i % count]}\n\n${paragraphs[(i * 7919 + 13) % count]}`;
    return JSON.stringify({
      id: `i${i}`,
      kind: 'text',
      title: text.split(' ').slice(0, 6).join(' '),
      source: null,
      tags: [`t${i % 50}`],
      owner: 1000 + (i % 100),
      visibility: i % 2 ? 'team' : 'private',
      shares: [],
      createdAt: Date.UTC(2026, 0, 1) + i * 60_000,
      language: 'en',
      text,
    });
  }).join('\n');
}

/** The process's peak resident memory so far (VmHWM), in bytes; 0 once it is gone. */
function peakRss(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

async function compression(dataDir: string): Promise<{ saved: number; stored: number }> {
  const handle = await openDatabase({ dataDir });
  try {
    const { rows } = await sql<{ saved: number; stored: number }>`select sum(size) as saved, sum(stored_size) as stored
      from plugin_blobs where plugin = 'content'`.execute(handle.db);
    return { saved: Number(rows[0]?.saved ?? 0), stored: Number(rows[0]?.stored ?? 1) };
  } finally {
    await handle.close();
  }
}
