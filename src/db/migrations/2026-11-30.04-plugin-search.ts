// Plugins' search indexes (ctx.search): records scoped by plugin, their tags and access labels, and
// the text index: an FTS5 table on SQLite (contentless: the text is indexed, not stored), a table of
// weighted tsvectors with a GIN index on PostgreSQL.
import { type Kysely, sql } from 'kysely';
import { idColumn, isPostgres } from './columns.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  await idColumn(db, db.schema.createTable('plugin_search_records'))
    .addColumn('plugin', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('kind', 'text')
    .addColumn('owner', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('vector', postgres ? 'bytea' : 'blob')
    .addUniqueConstraint('plugin_search_records_plugin_record', ['plugin', 'record_id'])
    .execute();
  // Browsing (no text) lists a plugin's records newest first.
  await db.schema
    .createIndex('plugin_search_records_created')
    .on('plugin_search_records')
    .columns(['plugin', 'created_at', 'id'])
    .execute();
  await db.schema
    .createTable('plugin_search_labels')
    .addColumn('record', 'bigint', (c) => c.notNull().references('plugin_search_records.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plugin_search_labels_pk', ['record', 'kind', 'label'])
    .execute();
  // Filters look a label up, then the records carrying it.
  await db.schema
    .createIndex('plugin_search_labels_label')
    .on('plugin_search_labels')
    .columns(['kind', 'label', 'record'])
    .execute();
  // The languages each plugin's records use: the text search configurations a PostgreSQL query ORs over.
  await db.schema
    .createTable('plugin_search_languages')
    .addColumn('plugin', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plugin_search_languages_pk', ['plugin', 'language'])
    .execute();
  if (postgres) {
    // The documents sit apart from the records: a match is found through the GIN index, and reading
    // the matches and ranking them touches these narrow rows only, written once (no update of a record).
    await db.schema
      .createTable('plugin_search_documents')
      .addColumn('record', 'bigint', (c) => c.primaryKey().references('plugin_search_records.id').onDelete('cascade'))
      .addColumn('plugin', 'text', (c) => c.notNull())
      .addColumn('document', sql`tsvector`, (c) => c.notNull())
      .execute();
    await sql`create index plugin_search_documents_document on plugin_search_documents using gin (document)`.execute(
      db,
    );
  } else {
    // Title and text are indexed, not stored (content=''); contentless_delete lets a record leave the index.
    await sql`create virtual table plugin_search_fts using fts5(title, text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) await db.schema.dropTable('plugin_search_documents').execute();
  else await sql`drop table plugin_search_fts`.execute(db);
  await db.schema.dropTable('plugin_search_languages').execute();
  await db.schema.dropTable('plugin_search_labels').execute();
  await db.schema.dropTable('plugin_search_records').execute();
}
