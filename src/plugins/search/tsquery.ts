// A parsed query as PostgreSQL tsquery text (for to_tsquery), and the text search configuration of
// each language. Every word is quoted as a tsquery string, so no input reads as tsquery syntax.
import type { ParsedQuery, QueryTerm } from './query-parser.js';

/** The configurations PostgreSQL 15 ships, by ISO 639-1 code. */
const CONFIGS: Readonly<Record<string, string>> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  nl: 'dutch',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/** The text search configuration for an ISO 639-1 code: `simple` (no stemming) for any other. */
export function textSearchConfig(language: string): string {
  return CONFIGS[language.toLowerCase()] ?? 'simple';
}

function termOf(term: QueryTerm): string {
  const words = term.words.map((word) => `'${word}'`);
  const last = words.length - 1;
  if (term.prefix) words[last] = `${words[last]}:*`;
  return words.length > 1 ? `(${words.join(' <-> ')})` : (words[0] as string);
}

/** The tsquery for `query.include` and not `query.exclude`; undefined when nothing is included. */
export function tsqueryText(query: ParsedQuery): string | undefined {
  if (query.include.length === 0) return undefined;
  return [...query.include.map(termOf), ...query.exclude.map((term) => `!${termOf(term)}`)].join(' & ');
}

/** The tsquery matching any excluded term, for a query that only excludes. */
export function tsqueryExcluded(query: ParsedQuery): string | undefined {
  return query.exclude.length === 0 ? undefined : query.exclude.map(termOf).join(' | ');
}
