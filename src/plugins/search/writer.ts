// Writes checked records of one plugin in batches: a few statements per batch (existing rows found,
// new rows inserted, the text indexed, labels replaced), not per record, so imports run fast.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { RecordInput } from './input.js';
import type { TextIndex } from './text-index.js';
import { vectorBytes } from './vectors.js';

/** The language of a record that names none: ISO 639's "undetermined" (no stemming). */
export const UNDETERMINED = 'und';
/** Records per statement: well under SQLite's and PostgreSQL's limits on bound values. */
const CHUNK = 500;

export type LabelKind = 'tag' | 'access';

/** Replaces the labels of `kind` on `rows` with those given per row. */
export async function replaceLabels(
  on: Kysely<Database>,
  kind: LabelKind,
  rows: readonly number[],
  labelsOf: (row: number) => readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  await on.deleteFrom('plugin_search_labels').where('record', 'in', rows).where('kind', '=', kind).execute();
  const values = rows.flatMap((row) => [...new Set(labelsOf(row))].map((label) => ({ record: row, kind, label })));
  for (let from = 0; from < values.length; from += CHUNK * 2) {
    await on
      .insertInto('plugin_search_labels')
      .values(values.slice(from, from + CHUNK * 2))
      .execute();
  }
}

export async function writeRecords(
  on: Kysely<Database>,
  plugin: string,
  index: TextIndex,
  records: readonly RecordInput[],
  now: number,
): Promise<void> {
  // The same id twice in one call: the last one wins, as with two puts.
  const latest = [...new Map(records.map((record) => [record.id, record])).values()];
  for (let from = 0; from < latest.length; from += CHUNK)
    await writeChunk(on, plugin, index, latest.slice(from, from + CHUNK), now);
  for (const language of new Set(latest.map((record) => record.language ?? UNDETERMINED))) {
    await on
      .insertInto('plugin_search_languages')
      .values({ plugin, language })
      .onConflict((oc) => oc.columns(['plugin', 'language']).doNothing())
      .execute();
  }
}

async function writeChunk(
  on: Kysely<Database>,
  plugin: string,
  index: TextIndex,
  records: readonly RecordInput[],
  now: number,
): Promise<void> {
  const fields = (record: RecordInput) => ({
    title: record.title ?? '',
    language: record.language ?? UNDETERMINED,
    kind: record.kind ?? null,
    owner: record.owner ?? null,
    updated_at: now,
    data: record.data ?? 'null',
    vector: record.vector ? vectorBytes(record.vector) : null,
  });
  const found = await on
    .selectFrom('plugin_search_records')
    .select(['id', 'record_id'])
    .where('plugin', '=', plugin)
    .where(
      'record_id',
      'in',
      records.map((record) => record.id),
    )
    .execute();
  const rowOf = new Map(found.map((row) => [row.record_id, Number(row.id)]));
  const replaced = records.filter((record) => rowOf.has(record.id));
  if (replaced.length > 0) await index.erase(on, [...rowOf.values()]);
  for (const record of replaced) {
    // Put again, a record keeps its creation time unless told otherwise.
    const created = record.createdAt !== undefined ? { created_at: record.createdAt } : {};
    await on
      .updateTable('plugin_search_records')
      .set({ ...fields(record), ...created })
      .where('id', '=', rowOf.get(record.id) as number)
      .execute();
  }
  const fresh = records.filter((record) => !rowOf.has(record.id));
  if (fresh.length > 0) {
    const inserted = await on
      .insertInto('plugin_search_records')
      .values(
        fresh.map((record) => ({
          ...fields(record),
          plugin,
          record_id: record.id,
          created_at: record.createdAt ?? now,
        })),
      )
      .returning(['id', 'record_id'])
      .execute();
    for (const row of inserted) rowOf.set(row.record_id, Number(row.id));
  }
  const byRow = new Map(records.map((record) => [rowOf.get(record.id) as number, record]));
  const rows = [...byRow.keys()];
  await index.write(
    on,
    records.map((record) => ({
      row: rowOf.get(record.id) as number,
      title: record.title ?? '',
      text: record.text,
      language: record.language ?? UNDETERMINED,
    })),
  );
  await replaceLabels(on, 'tag', rows, (row) => byRow.get(row)?.tags ?? []);
  await replaceLabels(on, 'access', rows, (row) => byRow.get(row)?.access ?? []);
}
