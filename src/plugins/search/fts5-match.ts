// A parsed query as an SQLite FTS5 MATCH expression. Every word goes in double quotes (and holds no
// quote: words are letters, digits and marks), so FTS5 reads it as a string, never as syntax.
import type { ParsedQuery, QueryTerm } from './query-parser.js';

function termOf(term: QueryTerm): string {
  return `"${term.words.join(' ')}"${term.prefix ? '*' : ''}`;
}

/** The expression for `query.include` (and not `query.exclude`); undefined when nothing is included. */
export function fts5Match(query: ParsedQuery): string | undefined {
  if (query.include.length === 0) return undefined;
  const include = query.include.map(termOf).join(' AND ');
  if (query.exclude.length === 0) return include;
  return `(${include}) NOT (${query.exclude.map(termOf).join(' OR ')})`;
}

/** The expression matching any excluded term, for a query that only excludes. */
export function fts5Excluded(query: ParsedQuery): string | undefined {
  return query.exclude.length === 0 ? undefined : query.exclude.map(termOf).join(' OR ');
}
