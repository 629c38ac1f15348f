// Reads what a user types into a search box, for both databases: words (all must match, the last one
// as a prefix), "quoted phrases" and -excluded words or phrases. Only letters, digits and marks make
// words, so no character of any database's query syntax survives into a term.
export interface QueryTerm {
  /** The words, in order: more than one matches as a phrase. */
  words: string[];
  /** The last word may be the start of a longer one. */
  prefix: boolean;
  exclude: boolean;
}

export interface ParsedQuery {
  /** Terms every match has. */
  include: QueryTerm[];
  /** Terms no match has. */
  exclude: QueryTerm[];
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
/** Enough for any query a person types; more would only make the database work for nothing. */
const MAX_TERMS = 32;
const MAX_WORD_LENGTH = 64;

/** The words of a piece of text, lower-cased, as the search (and the snippets) see them. */
export function wordsOf(text: string): string[] {
  return (text.match(WORD) ?? []).map((word) => word.slice(0, MAX_WORD_LENGTH).toLowerCase());
}

export function parseQuery(text: string): ParsedQuery {
  const terms: QueryTerm[] = [];
  // Whether the last term is a lone word typed as such (not quoted, not excluded): still being typed.
  let typing = false;
  // A quoted phrase (closed or running to the end), or a run of non-space characters; either may start with '-'.
  for (const piece of text.matchAll(/(-?)"([^"]*)"?|(-?)(\S+)/gu)) {
    if (terms.length === MAX_TERMS) break;
    const phrase = piece[2] !== undefined;
    const exclude = (phrase ? piece[1] : piece[3]) === '-';
    const words = wordsOf(phrase ? (piece[2] as string) : (piece[4] as string));
    if (words.length === 0) continue;
    terms.push({ words, prefix: false, exclude });
    typing = !phrase && !exclude && words.length === 1;
  }
  const last = terms.at(-1);
  if (last && typing) last.prefix = true;
  const include = terms.filter((term) => !term.exclude);
  return { include, exclude: terms.filter((term) => term.exclude) };
}
