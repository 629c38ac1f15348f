// A plugin's jobs in the `plugin_jobs` table. Every change is one statement guarded by the status it
// expects, so that the CLI, the panel and workers in several processes can act on a job at once:
// whoever loses a race changes nothing and is told so.
import { randomBytes } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import { isPostgres } from '../../db/migrations/columns.js';
import type { Database, PluginJobsTable } from '../../db/schema.js';
import type { JobFilter, JobInfo, JobStatus } from '../api-jobs.js';
import { decodeJson } from './json.js';

export type JobRow = Selectable<PluginJobsTable>;

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];
const LIVE: JobStatus[] = ['queued', 'running'];
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface NewJob {
  kind: string;
  key: string | null;
  /** JSON text. */
  payload: string;
  runAt: number;
  maxAttempts: number;
}

/** How an attempt ended, as the row records it. */
export type AttemptOutcome =
  | { status: 'done'; result: string }
  | { status: 'queued'; runAt: number; error: string; attempts?: number }
  | { status: 'failed'; error: string };

export function jobInfo(row: JobRow): JobInfo {
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    payload: decodeJson(row.payload),
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastError: row.last_error,
    result: decodeJson(row.result),
    state: decodeJson(row.state),
  };
}

function newId(): string {
  return Array.from(randomBytes(12), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

export type JobStore = ReturnType<typeof jobStore>;

export function jobStore(db: Kysely<Database>, plugin: string) {
  const postgres = isPostgres(db as Kysely<unknown>);
  const scoped = () => db.selectFrom('plugin_jobs').where('plugin', '=', plugin);
  const live = (kind: string, key: string) =>
    scoped().selectAll().where('kind', '=', kind).where('key', '=', key).where('status', 'in', LIVE).executeTakeFirst();

  return {
    /** Queues a job; with a key, returns the live job holding it instead (also one another process queued just now). */
    async enqueue(job: NewJob): Promise<JobRow> {
      for (;;) {
        const held = job.key === null ? undefined : await live(job.kind, job.key);
        if (held) return held;
        const now = Date.now();
        const inserted = await db
          .insertInto('plugin_jobs')
          .values({
            id: newId(),
            plugin,
            kind: job.kind,
            key: job.key,
            payload: job.payload,
            status: 'queued',
            attempts: 0,
            max_attempts: job.maxAttempts,
            run_at: job.runAt,
            locked_until: null,
            created_at: now,
            updated_at: now,
            last_error: null,
            result: null,
            state: null,
          })
          .onConflict((oc) =>
            oc
              .columns(['plugin', 'kind', 'key'])
              .where(sql.ref('status'), 'in', sql`('queued', 'running')`)
              .doNothing(),
          )
          .returningAll()
          .executeTakeFirst();
        // Nothing inserted: another enqueue of the key won the race; its job is returned on the next turn.
        if (inserted) return inserted;
      }
    },

    get: (id: string): Promise<JobRow | undefined> => scoped().selectAll().where('id', '=', id).executeTakeFirst(),

    async list(filter: Required<Pick<JobFilter, 'limit' | 'offset'>> & { kind?: string; statuses?: JobStatus[] }) {
      const matching = scoped()
        .$if(filter.kind !== undefined, (qb) => qb.where('kind', '=', filter.kind as string))
        .$if(filter.statuses !== undefined, (qb) => qb.where('status', 'in', filter.statuses as JobStatus[]));
      const [rows, total] = await Promise.all([
        matching
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(filter.limit)
          .offset(filter.offset)
          .execute(),
        matching.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(total.total) };
    },

    async retry(id: string): Promise<boolean> {
      const now = Date.now();
      // A key held by a live job meanwhile refuses the update (the unique index): not retried.
      const updated = await db
        .updateTable('plugin_jobs')
        .set({ status: 'queued', attempts: 0, run_at: now, locked_until: null, updated_at: now })
        .where('plugin', '=', plugin)
        .where('id', '=', id)
        .where('status', 'in', ['failed', 'cancelled'])
        .executeTakeFirst()
        .catch((error: unknown) => {
          if (keyTaken(error)) return { numUpdatedRows: 0n };
          throw error;
        });
      return updated.numUpdatedRows > 0n;
    },

    async cancel(id: string): Promise<boolean> {
      const updated = await db
        .updateTable('plugin_jobs')
        .set({ status: 'cancelled', updated_at: Date.now() })
        .where('plugin', '=', plugin)
        .where('id', '=', id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },

    async counts(kind?: string): Promise<Record<JobStatus, number>> {
      const rows = await scoped()
        .$if(kind !== undefined, (qb) => qb.where('kind', '=', kind as string))
        .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy('status')
        .execute();
      const counts = Object.fromEntries(JOB_STATUSES.map((status) => [status, 0])) as Record<JobStatus, number>;
      for (const row of rows) counts[row.status] = Number(row.count);
      return counts;
    },

    /** Writes what an attempt saved; false when the attempt no longer holds the job. */
    async saveState(id: string, attempt: number, state: string): Promise<boolean> {
      const updated = await db
        .updateTable('plugin_jobs')
        .set({ state, updated_at: Date.now() })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('attempts', '=', attempt)
        .executeTakeFirst();
      return updated.numUpdatedRows > 0n;
    },

    /**
     * Takes one due job of `kind` (queued and due, or running under a lapsed claim: its process
     * died) and starts an attempt: running, attempts + 1, claimed until `lockedUntil`. On PostgreSQL
     * the row is locked and others skipped, so two instances never take the same job; SQLite runs
     * one write at a time, and the update re-checks what it selected.
     */
    async claim(kind: string, lockedUntil: number): Promise<JobRow | undefined> {
      const now = Date.now();
      const due = db
        .selectFrom('plugin_jobs')
        .select('id')
        .where('plugin', '=', plugin)
        .where('kind', '=', kind)
        .where(dueAt(now))
        .orderBy('run_at')
        .limit(1)
        .$if(postgres, (qb) => qb.forUpdate().skipLocked());
      return db
        .updateTable('plugin_jobs')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          run_at: now,
          locked_until: lockedUntil,
          updated_at: now,
        }))
        .where('id', '=', due)
        .where(dueAt(now))
        .returningAll()
        .executeTakeFirst();
    },

    /** Records how attempt `attempt` ended; false when it no longer holds the job (its claim lapsed and another took it). */
    async finish(id: string, attempt: number, outcome: AttemptOutcome): Promise<JobRow | undefined> {
      const now = Date.now();
      const fields =
        outcome.status === 'done'
          ? { status: outcome.status, result: outcome.result }
          : outcome.status === 'queued'
            ? {
                status: outcome.status,
                run_at: outcome.runAt,
                last_error: outcome.error,
                attempts: outcome.attempts ?? attempt,
              }
            : { status: outcome.status, last_error: outcome.error };
      return db
        .updateTable('plugin_jobs')
        .set({ ...fields, locked_until: null, updated_at: now })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .where('attempts', '=', attempt)
        .returningAll()
        .executeTakeFirst();
    },

    /** When the next queued job of these kinds is due, or undefined when none is queued. */
    async nextRunAt(kinds: string[]): Promise<number | undefined> {
      if (kinds.length === 0) return undefined;
      const row = await scoped()
        .where('kind', 'in', kinds)
        .where('status', '=', 'queued')
        .select((eb) => eb.fn.min('run_at').as('next'))
        .executeTakeFirst();
      return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
    },
  };
}

/** Queued and due, or running under a claim that lapsed (its process died). */
function dueAt(now: number) {
  return (eb: ExpressionBuilder<Database, 'plugin_jobs'>) =>
    eb.or([
      eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
      eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
    ]);
}

/** A unique-index refusal (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
function keyTaken(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
