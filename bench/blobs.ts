// The blobs section of `npm run bench` (BENCH_ONLY=blobs): real text (the READMEs of the installed
// packages) put into ctx.blobs and read back on SQLite, once per codec: the compression ratio and
// the put and get throughput, one blob at a time as a plugin handling an update would.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { BlobCodec, BlobInfo, PluginBlobs } from '../src/plugins/api-content.js';
import { BROTLI_QUALITY } from '../src/plugins/blobs/codecs.js';
import { pluginBlobs } from '../src/plugins/blobs/plugin-blobs.js';
import { createTestDatabase } from '../test/support/databases.js';
import { ROOT } from './settings.js';

export const BLOBS_SECTION = 'blobs';
const CODECS: readonly BlobCodec[] = ['br', 'gzip'];

/** The section's lines: printed during the run, and the blobs section of BENCHMARKS.md. */
export type BlobsRun = string[];

export async function runBlobsBench(log: (line: string) => void): Promise<BlobsRun> {
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    log(`  ${line}`);
  };
  const texts = readmes(path.join(ROOT, 'node_modules'));
  const total = texts.reduce((sum, text) => sum + text.length, 0);
  say(`${texts.length} READMEs of installed packages, ${(total / 2 ** 20).toFixed(2)} MiB`);
  const database = await createTestDatabase('sqlite');
  const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
  try {
    await migrateToLatest(handle);
    for (const codec of CODECS) {
      // A plugin per codec, so that no put finds the bytes already stored by another codec's run.
      const blobs = pluginBlobs(handle.db, `bench-${codec}`);
      const name = codec === 'br' ? `br (quality ${BROTLI_QUALITY})` : codec;
      say(`${name}, each README a blob: ${await measure(blobs, texts, codec)}`);
      // The same text as one blob: what the codec itself costs, without a round trip per README.
      say(`${name}, all in one blob: ${await measure(blobs, [Buffer.concat(texts)], codec)}`);
    }
  } finally {
    await handle.close();
    await database.dispose();
  }
  return lines;
}

/** Puts `texts` one after another, then gets them back: the ratio, and each direction's MB/s. */
async function measure(blobs: PluginBlobs, texts: readonly Buffer[], codec: BlobCodec): Promise<string> {
  const total = texts.reduce((sum, text) => sum + text.length, 0);
  let started = performance.now();
  const infos: BlobInfo[] = [];
  for (const text of texts) infos.push(await blobs.put(text, { codec }));
  const putSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  for (const { hash } of infos) await blobs.get(hash);
  const getSeconds = (performance.now() - started) / 1000;
  const stored = infos.reduce((sum, info) => sum + info.storedSize, 0);
  const rate = (seconds: number) => `${(total / 1e6 / seconds).toFixed(1)} MB/s`;
  return `ratio ${(total / stored).toFixed(2)}, put ${rate(putSeconds)}, get ${rate(getSeconds)}`;
}

/** README.md of every package (scoped ones included) over 1 KiB: prose and code, as users' notes are. */
function readmes(modules: string): Buffer[] {
  const folders = readdirSync(modules).flatMap((name) =>
    name.startsWith('@') ? readdirSync(path.join(modules, name)).map((inner) => path.join(name, inner)) : [name],
  );
  return folders
    .map((folder) => path.join(modules, folder, 'README.md'))
    .filter((file) => existsSync(file) && statSync(file).isFile() && statSync(file).size > 1024)
    .map((file) => readFileSync(file));
}
