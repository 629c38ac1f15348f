// The variants plugins registered for experiments, as the servers that ran them last saw them: so that
// the CLI (which runs no plugin code) and every instance know them, not only the process whose
// handler first asked for one.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('experiment_variants')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('arms', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('experiment_variants').execute();
}
