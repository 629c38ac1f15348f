// ctx.search: a plugin's records in plugin_search_records with their labels, indexed for full text
// by the database's own engine (text-index.ts) and, with embeddings, ranked by cosine similarity;
// both rankings fused when a query gives both. Records stay when the plugin is switched off.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { isPostgres } from '../../db/migrations/columns.js';
import type { Database, PluginSearchRecordsTable } from '../../db/schema.js';
import { OmniError } from '../../errors.js';
import type {
  IndexedRecord,
  PluginSearch,
  SearchFilter,
  SearchHit,
  SearchPage,
  SearchQuery,
  SearchRecord,
  SearchRecordPatch,
} from '../api-content.js';
import { filterCondition } from './filters.js';
import { fuseRankings } from './fusion.js';
import { checked, filterInput, patchInput, type QueryInput, queryInput, recordId, recordInput } from './input.js';
import { postgresIndex } from './postgres-index.js';
import { parseQuery } from './query-parser.js';
import { sqliteIndex } from './sqlite-index.js';
import type { RankedRow, TextIndex } from './text-index.js';
import { nearestRows } from './vectors.js';
import { replaceLabels, writeRecords } from './writer.js';

/** How deep each ranking goes before fusion, at least. */
const FUSION_DEPTH = 100;
/** Records a scan reads at a time. */
const SCAN_BATCH = 500;

type RecordRow = Pick<
  PluginSearchRecordsTable,
  'record_id' | 'title' | 'language' | 'kind' | 'owner' | 'created_at' | 'data'
> & { id: number };

export function pluginSearch(db: Kysely<Database>, plugin: string): PluginSearch {
  const index: TextIndex = isPostgres(db as Kysely<unknown>) ? postgresIndex(db, plugin) : sqliteIndex(db, plugin);
  let vectorLength: number | undefined;

  /** The length every vector of the plugin has (from its first record with one); undefined while there is none. */
  const storedVectorLength = async (): Promise<number | undefined> => {
    if (vectorLength !== undefined) return vectorLength;
    const row = await db
      .selectFrom('plugin_search_records')
      .select('vector')
      .where('plugin', '=', plugin)
      .where('vector', 'is not', null)
      .limit(1)
      .executeTakeFirst();
    if (row?.vector) vectorLength = row.vector.length / 4;
    return vectorLength;
  };
  const checkVectors = async (vectors: (readonly number[] | undefined)[]): Promise<void> => {
    const lengths = new Set(vectors.flatMap((vector) => (vector ? [vector.length] : [])));
    if (lengths.size === 0) return;
    const stored = await storedVectorLength();
    if (lengths.size > 1 || (stored !== undefined && !lengths.has(stored))) {
      throw new OmniError('SEARCH_VECTOR_LENGTH', `${[...lengths].join(', ')} numbers, not ${stored ?? 'one length'}`);
    }
  };

  const rowOf = (on: Kysely<Database>, id: string) =>
    on
      .selectFrom('plugin_search_records')
      .select('id')
      .where('plugin', '=', plugin)
      .where('record_id', '=', id)
      .executeTakeFirst();

  const putMany = async (records: readonly SearchRecord[]): Promise<void> => {
    const checkedRecords = records.map((record) => checked(recordInput, record, 'SEARCH_INVALID_RECORD'));
    await checkVectors(checkedRecords.map((record) => record.vector));
    await db.transaction().execute((trx) => writeRecords(trx, plugin, index, checkedRecords, Date.now()));
    const withVector = checkedRecords.find((record) => record.vector);
    if (withVector?.vector) vectorLength ??= withVector.vector.length;
  };

  /** The records of `rows`, in that order, with their labels. */
  const load = async (rows: readonly number[]): Promise<(IndexedRecord & { row: number })[]> => {
    if (rows.length === 0) return [];
    const records = await db
      .selectFrom('plugin_search_records')
      .select(['id', 'record_id', 'title', 'language', 'kind', 'owner', 'created_at', 'data'])
      .where('id', 'in', rows)
      .execute();
    const labels = await db
      .selectFrom('plugin_search_labels')
      .select(['record', 'kind', 'label'])
      .where('record', 'in', rows)
      .orderBy('label')
      .execute();
    const byRow = new Map(records.map((record) => [Number(record.id), record as RecordRow]));
    return rows.flatMap((row) => {
      const record = byRow.get(row);
      if (!record) return [];
      const mine = labels.filter((label) => Number(label.record) === row);
      return [{ row, ...indexed(record, mine) }];
    });
  };

  /** The rows of the query's page and the one after it, best first: offset + limit + 1 of the ranking, less the offset. */
  const ranked = async (query: QueryInput): Promise<RankedRow[]> => {
    const parsed = parseQuery(query.text ?? '');
    const filter = filterCondition(plugin, query);
    const excluded = await index.excluding(parsed);
    const where: RawBuilder<unknown> = excluded ? sql`${filter} and ${excluded}` : filter;
    const wanted = query.offset + query.limit + 1;
    const text = parsed.include.length > 0;
    if (query.vector) {
      await checkVectors([query.vector]);
      const depth = Math.max(wanted, FUSION_DEPTH);
      const nearest = await nearestRows(db, query.vector, where, text ? depth : wanted, query.minSimilarity);
      const rows = text ? fuseRankings([await index.rank(parsed, query, depth, 0), nearest]) : nearest;
      return rows.slice(query.offset, wanted);
    }
    if (text) return index.rank(parsed, query, query.limit + 1, query.offset);
    // No words to rank by: the filtered records (less any excluded words'), newest first.
    const { rows } = await sql<RankedRow>`select r.id as "row", r.created_at as score from plugin_search_records r
      where ${where} order by r.created_at desc, r.id desc limit ${query.limit + 1} offset ${query.offset}`.execute(db);
    return rows;
  };

  return {
    put: (record) => putMany([record]),
    putMany,
    async patch(id: string, change: SearchRecordPatch): Promise<boolean> {
      checked(recordId, id, 'SEARCH_INVALID_RECORD');
      const patch = checked(patchInput, change, 'SEARCH_INVALID_RECORD');
      return db.transaction().execute(async (trx) => {
        const existing = await rowOf(trx, id);
        if (!existing) return false;
        const { tags, access, ...fields } = patch;
        await trx
          .updateTable('plugin_search_records')
          .set({ ...fields, updated_at: Date.now() })
          .where('id', '=', existing.id)
          .execute();
        if (tags) await replaceLabels(trx, 'tag', [existing.id], () => tags);
        if (access) await replaceLabels(trx, 'access', [existing.id], () => access);
        return true;
      });
    },
    async get(id: string): Promise<IndexedRecord | undefined> {
      checked(recordId, id, 'SEARCH_INVALID_RECORD');
      const existing = await rowOf(db, id);
      if (!existing) return undefined;
      const [record] = await load([existing.id]);
      if (!record) return undefined;
      const { row: _row, ...rest } = record;
      return rest;
    },
    async remove(id: string): Promise<boolean> {
      checked(recordId, id, 'SEARCH_INVALID_RECORD');
      return db.transaction().execute(async (trx) => {
        const existing = await rowOf(trx, id);
        if (!existing) return false;
        await index.erase(trx, [existing.id]);
        await trx.deleteFrom('plugin_search_labels').where('record', '=', existing.id).execute();
        await trx.deleteFrom('plugin_search_records').where('id', '=', existing.id).execute();
        return true;
      });
    },
    async query(query: SearchQuery): Promise<SearchPage> {
      const checkedQuery = checked(queryInput, query, 'SEARCH_INVALID_QUERY');
      const rows = await ranked(checkedQuery);
      const page = rows.slice(0, checkedQuery.limit);
      const scores = new Map(page.map((row) => [row.row, row.score]));
      const records = await load(page.map((row) => row.row));
      const hits: SearchHit[] = records.map(({ row, ...record }) => ({ ...record, score: Number(scores.get(row)) }));
      const more = rows.length > checkedQuery.limit;
      return more ? { hits, next: checkedQuery.offset + checkedQuery.limit } : { hits };
    },
    async *scan(filter: SearchFilter = {}): AsyncIterable<IndexedRecord> {
      const where = filterCondition(plugin, checked(filterInput, filter, 'SEARCH_INVALID_QUERY'));
      let after = 0;
      for (;;) {
        const { rows } = await sql<{ id: number }>`select r.id from plugin_search_records r
          where ${where} and r.id > ${after} order by r.id limit ${SCAN_BATCH}`.execute(db);
        for (const { row: _row, ...record } of await load(rows.map((row) => Number(row.id)))) yield record;
        if (rows.length < SCAN_BATCH) return;
        after = Number((rows.at(-1) as { id: number }).id);
      }
    },
    async count(filter: SearchFilter = {}): Promise<number> {
      const where = filterCondition(plugin, checked(filterInput, filter, 'SEARCH_INVALID_QUERY'));
      const { rows } = await sql<{
        count: number | string;
      }>`select count(*) as count from plugin_search_records r where ${where}`.execute(db);
      return Number(rows[0]?.count ?? 0);
    },
  };
}

function indexed(record: RecordRow, labels: { kind: string; label: string }[]): IndexedRecord {
  return {
    id: record.record_id,
    title: record.title,
    language: record.language,
    kind: record.kind,
    owner: record.owner === null ? null : Number(record.owner),
    tags: labels.filter((label) => label.kind === 'tag').map((label) => label.label),
    access: labels.filter((label) => label.kind === 'access').map((label) => label.label),
    createdAt: Number(record.created_at),
    data: JSON.parse(record.data),
  };
}
