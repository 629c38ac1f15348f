// The text index on SQLite: the contentless FTS5 table plugin_search_fts (rowid = the record's row),
// ranked by bm25 with the title weighted over the text.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { columnConditions, labelConditions } from './filters.js';
import { fts5Excluded, fts5Match } from './fts5-match.js';
import { RANK_WINDOW, type RankedRow, type TextIndex } from './text-index.js';

/** bm25 weights of the columns (title, text): a word in the title counts as much as several in the text. */
const BM25 = sql`bm25(plugin_search_fts, 4.0, 1.0)`;

export function sqliteIndex(db: Kysely<Database>, plugin: string): TextIndex {
  return {
    async write(on, records) {
      // One statement per record: FTS5 indexes a row at a time anyway, and SQLite runs in-process.
      for (const { row, title, text } of records) {
        await sql`insert into plugin_search_fts (rowid, title, text) values (${row}, ${title}, ${text})`.execute(on);
      }
    },
    async erase(on, rows) {
      for (const row of rows) await sql`delete from plugin_search_fts where rowid = ${row}`.execute(on);
    },
    async rank(query, filter, limit, offset) {
      const match = fts5Match(query);
      if (match === undefined) return [];
      // FTS5 walks the matches newest first (rowid order) and stops at the window; only those get a bm25.
      // The labels are tested on the FTS5 rowid, so a match without them is dropped before its record is
      // read; the unary + keeps SQLite from handing FTS5 the labelled rowids, which would run the MATCH
      // once per rowid.
      const window = Math.max(RANK_WINDOW, offset + limit);
      const conditions = [
        sql`r.plugin = ${plugin}`,
        ...columnConditions(filter),
        ...labelConditions(filter, sql`+plugin_search_fts.rowid`),
      ];
      const { rows } = await sql<RankedRow>`select "row", score from (
          select r.id as "row", -${BM25} as score
          from plugin_search_fts join plugin_search_records r on r.id = plugin_search_fts.rowid
          where plugin_search_fts match ${match} and ${sql.join(conditions, sql` and `)}
          order by plugin_search_fts.rowid desc limit ${window})
        order by score desc, "row" limit ${limit} offset ${offset}`.execute(db);
      return rows;
    },
    async excluding(query) {
      const excluded = fts5Excluded(query);
      if (excluded === undefined) return undefined;
      return sql`r.id not in (select rowid from plugin_search_fts where plugin_search_fts match ${excluded})`;
    },
  };
}
