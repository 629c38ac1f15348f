// The text index on PostgreSQL: the narrow table plugin_search_documents (record, plugin, a weighted
// tsvector: title A, text B) under a GIN index, each record analysed with its language's configuration.
// A query ORs one constant tsquery per configuration the plugin's records use, so the GIN index still
// serves it; ts_rank_cd ranks.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { columnConditions, labelConditions } from './filters.js';
import type { FilterInput } from './input.js';
import type { ParsedQuery } from './query-parser.js';
import { RANK_WINDOW, type RankedRow, type TextIndex } from './text-index.js';
import { textSearchConfig, tsqueryExcluded, tsqueryText } from './tsquery.js';

/** ts_rank_cd's weights of D, C, B (the text) and A (the title): a title match outweighs a few in the text. */
const WEIGHTS = sql.lit('{0.1, 0.1, 0.2, 1.0}');

export function postgresIndex(db: Kysely<Database>, plugin: string): TextIndex {
  /** The configurations of the languages the plugin's records use (`simple` while there is none):
   *  each one more is one more index lookup and match test per query. */
  const configs = async (): Promise<string[]> => {
    const rows = await db
      .selectFrom('plugin_search_languages')
      .select('language')
      .where('plugin', '=', plugin)
      .execute();
    return rows.length === 0 ? ['simple'] : [...new Set(rows.map((row) => textSearchConfig(row.language)))];
  };
  /** A document (aliased `d`) matches `text` under any of the configurations, and the query to rank by. */
  const matching = async (text: string) => {
    const queries = (await configs()).map((config) => sql`to_tsquery(${sql.lit(config)}::regconfig, ${text})`);
    const matches = queries.map((query) => sql`d.document @@ ${query}`);
    return { where: sql`(${sql.join(matches, sql` or `)})`, rankBy: sql.join(queries, sql` || `) };
  };
  return {
    async write(on, records) {
      if (records.length === 0) return;
      const values = records.map(
        ({ row, title, text, language }) =>
          sql`(${row}::bigint, ${textSearchConfig(language)}::regconfig, ${title}::text, ${text}::text)`,
      );
      await sql`insert into plugin_search_documents (record, plugin, document)
        select v.id, ${plugin}, setweight(to_tsvector(v.config, v.title), 'A') || setweight(to_tsvector(v.config, v.text), 'B')
        from (values ${sql.join(values)}) as v (id, config, title, text)`.execute(on);
    },
    async erase(on, rows) {
      if (rows.length === 0) return;
      await on.deleteFrom('plugin_search_documents').where('record', 'in', rows).execute();
    },
    async rank(query: ParsedQuery, filter: FilterInput, limit: number, offset: number) {
      const text = tsqueryText(query);
      if (text === undefined) return [];
      const { where: matches, rankBy } = await matching(text);
      const window = Math.max(RANK_WINDOW, offset + limit);
      const columns = columnConditions(filter);
      // The records are read only when the filter asks something of their columns.
      const records = columns.length === 0 ? sql`` : sql`join plugin_search_records r on r.id = d.record`;
      const conditions = [matches, ...columns, ...labelConditions(filter, sql`d.record`)];
      // Every match is found through the GIN index (a bitmap), never by walking the rows newest first or
      // in full and testing each one's document: the planner prices that test like `=`, and it costs
      // ~100 times more, so it is told not to scan the table here. Only the latest matches up to the
      // window are ranked: ts_rank_cd reads each one's whole document.
      const rows = await db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const ranked = await sql<RankedRow>`with matched as materialized (
            select d.record from plugin_search_documents d ${records}
            where d.plugin = ${plugin} and ${sql.join(conditions, sql` and `)}),
          latest as (select record from matched order by record desc limit ${window})
          select d.record as "row", ts_rank_cd(${WEIGHTS}::float4[], d.document, ${rankBy}) as score
          from latest l join plugin_search_documents d on d.record = l.record
          order by score desc, d.record limit ${limit} offset ${offset}`.execute(trx);
        return ranked.rows;
      });
      return rows;
    },
    async excluding(query) {
      const text = tsqueryExcluded(query);
      if (text === undefined) return undefined;
      const { where: matches } = await matching(text);
      return sql`not exists (select from plugin_search_documents d where d.record = r.id and ${matches})`;
    },
  };
}
