// SQLite's part of a backup: a consistent copy of the live file through the online backup API
// while the server writes, and the check of a copy (integrity check and a row count per table).
import SqliteDatabase from 'better-sqlite3';

/**
 * Copies the database at `source` into `target`. The whole file goes in one backup step: a step is
 * one read transaction (which in WAL mode never blocks the server's writers), so the copy is a
 * snapshot, while a copy in several steps would start over whenever another connection writes.
 */
export async function copySqlite(source: string, target: string): Promise<void> {
  const live = new SqliteDatabase(source, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    await live.backup(target, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    live.close();
  }
}

/** The last migration the copy at `file` applied. */
export function sqliteSchemaVersion(file: string): string {
  const copy = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const row = copy.prepare('select name from kysely_migration order by name desc limit 1').get() as
      | { name: string }
      | undefined;
    if (!row) throw new Error('the database has no applied migration');
    return row.name;
  } finally {
    copy.close();
  }
}

/** Throws with SQLite's own words when the copy is damaged; else the rows of every table. */
export function checkSqlite(file: string): Record<string, number> {
  const copy = new SqliteDatabase(file, { fileMustExist: true });
  try {
    const problems = (copy.pragma('integrity_check') as { integrity_check: string }[]).map(
      (row) => row.integrity_check,
    );
    if (problems.join() !== 'ok') throw new Error(`integrity check: ${problems.slice(0, 3).join('; ')}`);
    const tables = copy
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => [
        table,
        copy
          .prepare(`select count(*) from "${table.replaceAll('"', '""')}"`)
          .pluck()
          .get() as number,
      ]),
    );
  } finally {
    copy.close();
  }
}
