// What the search store needs of a database's full-text index; sqlite-index.ts and
// postgres-index.ts provide it.
import type { Kysely, RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ParsedQuery } from './query-parser.js';

export interface RankedRow {
  row: number;
  score: number;
}

export interface TextIndex {
  /** Indexes a record's title and text under its row number. */
  write(on: Kysely<Database>, row: number, fields: { title: string; text: string; language: string }): Promise<void>;
  /** Takes a record out of the index (before it is written again or deleted). */
  erase(on: Kysely<Database>, row: number): Promise<void>;
  /** Rows matching `query` and `where` (a condition on records aliased `r`), best first. */
  rank(query: ParsedQuery, where: RawBuilder<unknown>, limit: number, offset: number): Promise<RankedRow[]>;
  /** A condition on `r`: the record matches none of the query's excluded terms. */
  excluding(query: ParsedQuery): Promise<RawBuilder<unknown> | undefined>;
}
