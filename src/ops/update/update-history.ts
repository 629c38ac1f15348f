// The update_history rows: one per attempt (from, to, started, finished, status, result, log and
// backup id). The database is opened for each write and closed again, because a rollback may
// replace the database file under it (a restored backup).
import type { DatabaseHandle } from '../../db/database.js';

export type UpdateStatus = 'running' | 'succeeded' | 'rolled_back' | 'failed';

export interface UpdateRecord {
  id: number;
  fromVersion: string;
  toVersion: string;
  fromCommit: string;
  toCommit: string;
  status: UpdateStatus;
  startedAt: number;
  finishedAt: number | null;
  result: string | null;
  backupId: string | null;
  log: string;
}

export type OpenDatabase = () => Promise<DatabaseHandle>;

export class UpdateHistory {
  constructor(private readonly open: OpenDatabase) {}

  private async with<T>(work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
    const handle = await this.open();
    try {
      return await work(handle);
    } finally {
      await handle.close();
    }
  }

  start(record: Omit<UpdateRecord, 'id'>): Promise<number> {
    return this.with(async ({ db }) => {
      const row = await db.insertInto('update_history').values(toRow(record)).returning('id').executeTakeFirstOrThrow();
      return Number(row.id);
    });
  }

  /** Writes the record; inserts it again when a restored backup no longer has it. */
  save(record: UpdateRecord): Promise<void> {
    return this.with(async ({ db }) => {
      const result = await db
        .updateTable('update_history')
        .set(toRow(record))
        .where('id', '=', record.id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) await db.insertInto('update_history').values(toRow(record)).execute();
    });
  }

  find(id: number): Promise<UpdateRecord | undefined> {
    return this.with(async ({ db }) => {
      const row = await db.selectFrom('update_history').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    });
  }

  list(limit = 50): Promise<UpdateRecord[]> {
    return this.with(async ({ db }) =>
      (await db.selectFrom('update_history').selectAll().orderBy('id', 'desc').limit(limit).execute()).map(fromRow),
    );
  }

  /** Attempts still marked running: what an updater killed before it wrote its state file left. */
  running(): Promise<UpdateRecord[]> {
    return this.with(async ({ db }) =>
      (await db.selectFrom('update_history').selectAll().where('status', '=', 'running').execute()).map(fromRow),
    );
  }
}

type Row = {
  id: number;
  from_version: string;
  to_version: string;
  from_commit: string | null;
  to_commit: string | null;
  status: string;
  started_at: number;
  finished_at: number | null;
  result: string | null;
  backup_id: string | null;
  log: string | null;
};

function toRow(record: Omit<UpdateRecord, 'id'>) {
  return {
    from_version: record.fromVersion,
    to_version: record.toVersion,
    from_commit: record.fromCommit,
    to_commit: record.toCommit,
    status: record.status,
    started_at: record.startedAt,
    finished_at: record.finishedAt,
    result: record.result,
    backup_id: record.backupId,
    log: record.log,
  };
}

function fromRow(row: Row): UpdateRecord {
  return {
    id: Number(row.id),
    fromVersion: row.from_version,
    toVersion: row.to_version,
    fromCommit: row.from_commit ?? '',
    toCommit: row.to_commit ?? '',
    status: row.status as UpdateStatus,
    startedAt: Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    result: row.result,
    backupId: row.backup_id,
    log: row.log ?? '',
  };
}
