// What the search store needs of a database's full-text index; sqlite-index.ts and
// postgres-index.ts provide it.
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { FilterInput } from './input.js';
import type { ParsedQuery } from './query-parser.js';

/**
 * How many matching records, the most recently put first, a text query ranks at most (more when the
 * page asked for lies deeper). Ranking costs per match (bm25, ts_rank_cd): a word in most of 100,000
 * records took ~100 ms to rank in full, so a query that broad ranks its latest 2,000 matches instead.
 */
export const RANK_WINDOW = 2000;

export interface RankedRow {
  row: number;
  score: number;
}

export interface IndexedText {
  row: number;
  title: string;
  text: string;
  language: string;
}

export interface TextIndex {
  /** Indexes records' titles and texts under their row numbers. */
  write(on: Kysely<Database>, records: readonly IndexedText[]): Promise<void>;
  /** Takes records out of the index (before they are written again or deleted). */
  erase(on: Kysely<Database>, rows: readonly number[]): Promise<void>;
  /** The plugin's rows matching `query` and `filter`, best first. */
  rank(query: ParsedQuery, filter: FilterInput, limit: number, offset: number): Promise<RankedRow[]>;
  /** A condition on `r`: the record matches none of the query's excluded terms. */
  excluding(query: ParsedQuery): Promise<RawBuilder<unknown> | undefined>;
}
