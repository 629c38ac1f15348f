// The observer's samples and the health checks' results say which instance wrote them: with several
// instances each samples its own process, and the rollup combines them (metric-catalog.ts says how).
import type { Kysely } from 'kysely';

const TABLES = ['system_metrics', 'health_checks'];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    await db.schema
      .alterTable(table)
      .addColumn('instance', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await db.schema.alterTable(table).dropColumn('instance').execute();
}
