// A search filter as SQL conditions, the same on both databases: kind, owner and a creation window on
// the records (aliased `r`), tags all-of and an audience any-of over the labels of a row number.
import { type RawBuilder, sql } from 'kysely';
import type { FilterInput } from './input.js';

/** The whole filter of a plugin's records: a condition on `r`. */
export function filterCondition(plugin: string, filter: FilterInput): RawBuilder<unknown> {
  return sql.join(
    [sql`r.plugin = ${plugin}`, ...columnConditions(filter), ...labelConditions(filter, sql`r.id`)],
    sql` and `,
  );
}

/** The conditions on the records' own columns; none when the filter asks none, and `r` need not be read. */
export function columnConditions(filter: FilterInput): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [];
  if (filter.kind !== undefined) parts.push(sql`r.kind = ${filter.kind}`);
  if (filter.owner !== undefined) parts.push(sql`r.owner = ${filter.owner}`);
  if (filter.after !== undefined) parts.push(sql`r.created_at >= ${filter.after}`);
  if (filter.before !== undefined) parts.push(sql`r.created_at < ${filter.before}`);
  return parts;
}

/** The conditions on the labels of the record numbered `row`: every tag, and any label of the audience. */
export function labelConditions(filter: FilterInput, row: RawBuilder<unknown>): RawBuilder<unknown>[] {
  const parts = [...new Set(filter.tags ?? [])].map((tag) => labelled(row, 'tag', [tag]));
  // An empty audience holds no label, so it finds nothing; neither does any audience a record without labels.
  if (filter.audience !== undefined) {
    parts.push(filter.audience.length === 0 ? sql`1 = 0` : labelled(row, 'access', [...new Set(filter.audience)]));
  }
  return parts;
}

function labelled(row: RawBuilder<unknown>, kind: 'tag' | 'access', labels: string[]): RawBuilder<unknown> {
  // An IN over the label index, not EXISTS per record: the database may start from the few labelled records.
  return sql`${row} in (select l.record from plugin_search_labels l where l.kind = ${kind} and l.label in (${sql.join(labels)}))`;
}
