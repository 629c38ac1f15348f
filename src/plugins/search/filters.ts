// A search filter as an SQL condition on the records (aliased `r`), the same on both databases:
// tags all-of, kind, owner, a creation window, and an audience any-of over the access labels.
import { type RawBuilder, sql } from 'kysely';
import type { FilterInput } from './input.js';

export function filterCondition(plugin: string, filter: FilterInput): RawBuilder<unknown> {
  const parts = [sql`r.plugin = ${plugin}`];
  if (filter.kind !== undefined) parts.push(sql`r.kind = ${filter.kind}`);
  if (filter.owner !== undefined) parts.push(sql`r.owner = ${filter.owner}`);
  if (filter.after !== undefined) parts.push(sql`r.created_at >= ${filter.after}`);
  if (filter.before !== undefined) parts.push(sql`r.created_at < ${filter.before}`);
  for (const tag of new Set(filter.tags ?? [])) parts.push(labelled('tag', [tag]));
  // An empty audience holds no label, so it finds nothing; neither does any audience a record without labels.
  if (filter.audience !== undefined) {
    parts.push(filter.audience.length === 0 ? sql`1 = 0` : labelled('access', [...new Set(filter.audience)]));
  }
  return sql.join(parts, sql` and `);
}

function labelled(kind: 'tag' | 'access', labels: string[]): RawBuilder<unknown> {
  // An IN over the label index, not EXISTS per record: the database may start from the few labelled records.
  return sql`r.id in (select l.record from plugin_search_labels l where l.kind = ${kind} and l.label in (${sql.join(labels)}))`;
}
