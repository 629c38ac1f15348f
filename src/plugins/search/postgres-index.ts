// The text index on PostgreSQL: the weighted tsvector column `document` (title A, text B) under a GIN
// index, each record analysed with its language's configuration. A query ORs one constant tsquery per
// configuration the plugin's records use, so the GIN index still serves it; ts_rank_cd ranks.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ParsedQuery } from './query-parser.js';
import { RANK_WINDOW, type RankedRow, type TextIndex } from './text-index.js';
import { textSearchConfig, tsqueryExcluded, tsqueryText } from './tsquery.js';

/** ts_rank_cd's weights of D, C, B (the text) and A (the title): a title match outweighs a few in the text. */
const WEIGHTS = sql.lit('{0.1, 0.1, 0.2, 1.0}');

export function postgresIndex(db: Kysely<Database>, plugin: string): TextIndex {
  /** The configurations of the languages the plugin's records use (at least `simple`). */
  const configs = async (): Promise<string[]> => {
    const rows = await db
      .selectFrom('plugin_search_languages')
      .select('language')
      .where('plugin', '=', plugin)
      .execute();
    return [...new Set(['simple', ...rows.map((row) => textSearchConfig(row.language))])];
  };
  /** `document` matches `text` under any of the configurations, and the query to rank by. */
  const matching = async (text: string) => {
    const queries = (await configs()).map((config) => sql`to_tsquery(${sql.lit(config)}::regconfig, ${text})`);
    const matches = queries.map((query) => sql`r.document @@ ${query}`);
    return { where: sql`(${sql.join(matches, sql` or `)})`, rankBy: sql.join(queries, sql` || `) };
  };
  return {
    async write(on, records) {
      if (records.length === 0) return;
      const values = records.map(
        ({ row, title, text, language }) =>
          sql`(${row}::bigint, ${textSearchConfig(language)}::regconfig, ${title}::text, ${text}::text)`,
      );
      await sql`update plugin_search_records r
        set document = setweight(to_tsvector(v.config, v.title), 'A') || setweight(to_tsvector(v.config, v.text), 'B')
        from (values ${sql.join(values)}) as v (id, config, title, text) where r.id = v.id`.execute(on);
    },
    async erase() {
      // The document lives in the record's row: writing it again or deleting the row replaces it.
    },
    async rank(query: ParsedQuery, where: RawBuilder<unknown>, limit: number, offset: number) {
      const text = tsqueryText(query);
      if (text === undefined) return [];
      const { where: matches, rankBy } = await matching(text);
      // The latest matches up to the window are ranked; ts_rank_cd reads each one's whole document.
      const window = Math.max(RANK_WINDOW, offset + limit);
      const { rows } =
        await sql<RankedRow>`select w.id as "row", ts_rank_cd(${WEIGHTS}::float4[], w.document, ${rankBy}) as score
        from (select r.id, r.document from plugin_search_records r where ${matches} and ${where}
          order by r.id desc limit ${window}) w
        order by score desc, w.id limit ${limit} offset ${offset}`.execute(db);
      return rows;
    },
    async excluding(query) {
      const text = tsqueryExcluded(query);
      if (text === undefined) return undefined;
      const { where: matches } = await matching(text);
      return sql`not ${matches}`;
    },
  };
}
