// The content section of `npm run bench` (BENCH_ONLY=content): ctx.search over 100,000 records of
// real text (paragraphs of the READMEs and changelogs under node_modules and of the licences in
// /usr/share/common-licenses, in a fixed order) on SQLite and PostgreSQL: the insert rate through
// putMany, p50/p95 of ~200 queries of real words of several sorts, count, and the size on disk.
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { SearchQuery, SearchRecord } from '../src/plugins/api.js';
import { pluginSearch } from '../src/plugins/search/store.js';
import { createTestDatabase } from '../test/support/databases.js';
import { measureContentImport } from './content-import.js';
import { readParagraphs } from './real-text.js';
import { percentile } from './stats.js';

export const CONTENT_SECTION = 'content';

const RECORDS = Number(process.env.BENCH_CONTENT_RECORDS) || 100_000;
const BATCH = 1000;
const PER_SORT = 30;
const KINDS = ['text', 'link', 'photo', 'note'];

export interface ContentFigures {
  database: string;
  recordsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  bySort: Record<string, { p50Ms: number; p95Ms: number; hits: number }>;
  countMs: number;
  bytesOnDisk?: number;
}

export interface ContentRun {
  /** What was searched: records, the paragraphs they are made of, and the queries. */
  setup: string;
  figures: ContentFigures[];
  /** The content store's import through the CLI: rate, peak memory, compression (content-import.ts). */
  imports: string[];
}

export async function runContentSearchBench(log: (line: string) => void): Promise<ContentRun> {
  const paragraphs = readParagraphs();
  const records = buildRecords(paragraphs);
  const queries = buildQueries(paragraphs);
  const setup = `${records.length} records from ${paragraphs.length} paragraphs; ${queries.length} queries`;
  log(`  ${setup}`);
  const figures: ContentFigures[] = [];
  for (const kind of ['sqlite', 'postgres'] as const) {
    const database = await createTestDatabase(kind);
    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    try {
      await migrateToLatest(handle);
      const result = await measure(handle, records, queries);
      figures.push(result);
      for (const line of describeContent(result)) log(`  ${line}`);
    } finally {
      await handle.close();
      await database.dispose();
    }
  }
  const imports = await measureContentImport(paragraphs);
  for (const line of imports) log(`  ${line}`);
  return { setup, figures, imports };
}

/** The lines of one database's figures: printed during the run, and the content section of BENCHMARKS.md. */
export function describeContent(result: ContentFigures): string[] {
  const kind = result.database;
  const sorts = Object.entries(result.bySort)
    .map(([sort, { p50Ms, p95Ms }]) => `${sort} ${p50Ms.toFixed(1)}/${p95Ms.toFixed(1)}`)
    .join(', ');
  return [
    `${kind}: ${result.recordsPerSecond.toFixed(0)} records/s through putMany`,
    `${kind}: search p50 ${result.p50Ms.toFixed(2)} ms, p95 ${result.p95Ms.toFixed(2)} ms (goal p95 < 20 ms)`,
    `${kind}: by sort, p50/p95 ms: ${sorts}`,
    `${kind}: count with a tag filter ${result.countMs.toFixed(2)} ms`,
    ...(result.bytesOnDisk ? [`${kind}: ${(result.bytesOnDisk / 2 ** 20).toFixed(0)} MiB on disk`] : []),
  ];
}

async function measure(
  handle: DatabaseHandle,
  records: SearchRecord[],
  queries: { sort: string; query: SearchQuery }[],
): Promise<ContentFigures> {
  const search = pluginSearch(handle.db, 'content');
  const started = performance.now();
  for (let from = 0; from < records.length; from += BATCH) await search.putMany(records.slice(from, from + BATCH));
  const recordsPerSecond = records.length / ((performance.now() - started) / 1000);
  if (handle.kind === 'postgres') await sql`analyze`.execute(handle.db);
  // One pass to warm caches and the JIT, then the measured one.
  for (const { query } of queries) await search.query(query);
  const all: number[] = [];
  const bySort = new Map<string, { times: number[]; hits: number }>();
  for (const { sort, query } of queries) {
    const at = performance.now();
    const page = await search.query(query);
    const took = performance.now() - at;
    all.push(took);
    const entry = bySort.get(sort) ?? { times: [], hits: 0 };
    entry.times.push(took);
    entry.hits += page.hits.length;
    bySort.set(sort, entry);
  }
  const countStarted = performance.now();
  await search.count({ tags: ['tag7'] });
  const countMs = performance.now() - countStarted;
  const sorted = (times: number[]) => Float64Array.from(times).sort();
  return {
    database: handle.kind,
    recordsPerSecond,
    p50Ms: percentile(sorted(all), 50),
    p95Ms: percentile(sorted(all), 95),
    bySort: Object.fromEntries(
      [...bySort].map(([sort, { times, hits }]) => [
        sort,
        { p50Ms: percentile(sorted(times), 50), p95Ms: percentile(sorted(times), 95), hits },
      ]),
    ),
    countMs,
    ...(await bytesOnDisk(handle)),
  };
}

async function bytesOnDisk(handle: DatabaseHandle): Promise<{ bytesOnDisk?: number }> {
  if (handle.kind === 'sqlite') {
    await sql`pragma wal_checkpoint(truncate)`.execute(handle.db);
    return { bytesOnDisk: statSync(handle.location).size };
  }
  const { rows } = await sql<{ bytes: number }>`select sum(pg_total_relation_size(c.oid))::bigint as bytes
    from pg_class c where c.relname like 'plugin_search_%' and c.relkind = 'r'
    and c.relnamespace = (select oid from pg_namespace where nspname = ${handle.schema ?? 'public'})`.execute(
    handle.db,
  );
  return { bytesOnDisk: Number(rows[0]?.bytes ?? 0) };
}

/** RECORDS records: the paragraphs, then pairs of them, with tags, owners, kinds and access labels spread over them. */
function buildRecords(paragraphs: string[]): SearchRecord[] {
  const count = paragraphs.length;
  return Array.from({ length: RECORDS }, (_, i) => {
    const first = paragraphs[i % count] as string;
    const text = i < count ? first : `${first} ${paragraphs[(i * 7919 + 13) % count]}`;
    const access = i % 3 === 0 ? ['public'] : [`user:${i % 1000}`, `unit:${i % 20}`];
    return {
      id: `r${i}`,
      title: first.split(' ').slice(0, 6).join(' '),
      text,
      language: 'en',
      kind: KINDS[i % KINDS.length] as string,
      owner: i % 1000,
      tags: [`tag${i % 50}`, ...(i % 7 === 0 ? ['starred'] : [])],
      access,
      createdAt: Date.UTC(2025, 0, 1) + i * 60_000,
      data: { n: i },
    };
  });
}

/** Queries of real words of several sorts: rare, common, two words, a phrase, a prefix, with an audience, with a tag. */
function buildQueries(paragraphs: string[]): { sort: string; query: SearchQuery }[] {
  const frequency = new Map<string, number>();
  for (const paragraph of paragraphs) {
    for (const word of new Set(paragraph.toLowerCase().match(/\b[a-z]{4,}\b/g) ?? [])) {
      frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
  }
  const byCount = [...frequency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([word]) => word);
  const pick = (words: string[], n: number) =>
    Array.from({ length: n }, (_, i) => words[Math.floor((i * words.length) / n)] as string);
  const common = pick(byCount.slice(0, 100), PER_SORT);
  const middle = byCount.slice(200, 3000);
  const rare = pick(
    byCount.filter((word) => (frequency.get(word) ?? 0) <= 3),
    PER_SORT,
  );
  const adjacent = pick(
    paragraphs.flatMap((paragraph, i) => {
      if (i % 97 !== 0) return [];
      const words = paragraph.toLowerCase().match(/\b[a-z]{4,}\b \b[a-z]{4,}\b/);
      return words ? [words[0]] : [];
    }),
    PER_SORT,
  );
  const twoWords = pick(middle, PER_SORT * 2);
  return [
    ...rare.map((text) => ({ sort: 'rare', query: { text } })),
    ...common.map((text) => ({ sort: 'common', query: { text } })),
    ...Array.from({ length: PER_SORT }, (_, i) => ({
      sort: 'two words',
      query: { text: `${twoWords[i]} ${twoWords[i + PER_SORT]}` },
    })),
    ...adjacent.map((text) => ({ sort: 'phrase', query: { text: `"${text}"` } })),
    ...pick(middle, PER_SORT).map((word) => ({ sort: 'prefix', query: { text: word.slice(0, 4) } })),
    ...common.map((text, i) => ({
      sort: 'audience',
      query: { text, audience: [`user:${i * 37}`, `unit:${i % 20}`] },
    })),
    ...pick(middle, PER_SORT).map((text, i) => ({ sort: 'tag', query: { text, tags: [`tag${i % 50}`] } })),
  ];
}
