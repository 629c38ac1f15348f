// The experiments' tables: experiments with their rules and how they ended, and the users each
// reached, with the arm they saw and flags for what they did after. Status changes are conditional
// on the status they leave, so that two instances (or the CLI and a server) deciding at the same
// moment cannot both end one experiment.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { PrimaryMetric } from '../../core/experiment-metrics.js';
import type { Database, ExperimentStatus, ExperimentsTable } from '../../db/schema.js';
import { safeJson } from '../../lib/safe-json.js';

export interface ExperimentRules {
  readonly alpha: number;
  readonly tau: number;
  readonly minUsers: number;
  readonly maxDurationMs: number;
}

/** How an experiment ended, and why. */
export interface ExperimentOutcome {
  readonly kind: 'promoted' | 'reverted' | 'stopped' | 'expired' | 'rejected';
  /** Who decided: `engine`, `admin:<name>`, `cli`. */
  readonly by: string;
  readonly reason: string;
  /** The arm concerned (its index), for a promotion or a guard's revert. */
  readonly arm?: number;
  /** The difference from control that decided it, with its interval. */
  readonly difference?: { estimate: number; low: number; high: number };
  readonly guard?: string;
}

export interface Experiment extends ExperimentRules {
  readonly id: number;
  readonly target: string;
  /** The arms' values, control first. */
  readonly arms: readonly unknown[];
  readonly share: number;
  readonly metric: PrimaryMetric;
  readonly guards: Readonly<Record<string, number>>;
  readonly status: ExperimentStatus;
  readonly proposedBy: string;
  readonly reason: string;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly outcome: ExperimentOutcome | null;
}

export type NewExperiment = Omit<Experiment, 'id' | 'createdAt' | 'startedAt' | 'endedAt' | 'outcome'>;

/** One arm's users and how many of them each flag counts. */
export interface ArmCounts {
  readonly arm: number;
  readonly users: number;
  readonly converted: number;
  /** Users who converted without a miss: the `answered` metric's successes. */
  readonly answered: number;
  readonly errors: number;
  readonly slow: number;
  readonly blocked: number;
}

/** The flags observing a user can set; each only ever goes from 0 to 1. */
export type UserFlag = 'converted' | 'missed' | 'errors' | 'slow' | 'blocked';

export const ENDED: readonly ExperimentStatus[] = ['promoted', 'reverted', 'stopped', 'expired', 'rejected'];

export class ExperimentStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** Where per-user flags are written (the bookkeeping connections on PostgreSQL). */
    private readonly bookkeeping: Kysely<Database> = db,
  ) {}

  async create(experiment: NewExperiment, now: number): Promise<Experiment> {
    const row = await this.db
      .insertInto('experiments')
      .values({
        target: experiment.target,
        arms: JSON.stringify(experiment.arms),
        share: experiment.share,
        metric: experiment.metric,
        guards: JSON.stringify(experiment.guards),
        alpha: experiment.alpha,
        tau: experiment.tau,
        min_users: experiment.minUsers,
        max_duration_ms: experiment.maxDurationMs,
        status: experiment.status,
        proposed_by: experiment.proposedBy,
        reason: experiment.reason,
        created_at: now,
        started_at: experiment.status === 'running' ? now : null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromRow(row);
  }

  async get(id: number): Promise<Experiment | undefined> {
    const row = await this.db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  /** Newest first; only those of the given statuses when any are given. */
  async list(statuses: readonly ExperimentStatus[] = []): Promise<Experiment[]> {
    let query = this.db.selectFrom('experiments').selectAll().orderBy('id', 'desc');
    if (statuses.length > 0) query = query.where('status', 'in', statuses);
    return (await query.execute()).map(fromRow);
  }

  /** The value each variant's latest promotion chose, by target. */
  async promotions(): Promise<Map<string, unknown>> {
    const rows = await this.db
      .selectFrom('experiments')
      .select(['target', 'winner'])
      .where('status', '=', 'promoted')
      .where('target', 'like', 'plugin:%')
      .orderBy('ended_at', 'asc')
      .execute();
    return new Map(rows.map((row) => [row.target, row.winner === null ? undefined : safeJson(row.winner)]));
  }

  /** Moves an experiment on from one of `from`; false when it was not in any of them (any more). */
  async transition(
    id: number,
    from: readonly ExperimentStatus[],
    to: ExperimentStatus,
    now: number,
    extra: { outcome?: ExperimentOutcome; winner?: unknown } = {},
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('experiments')
      .set({
        status: to,
        ...(to === 'running' ? { started_at: now } : {}),
        ...(ENDED.includes(to) ? { ended_at: now } : {}),
        ...(extra.outcome ? { outcome: JSON.stringify(extra.outcome) } : {}),
        ...(extra.winner !== undefined ? { winner: JSON.stringify(extra.winner) } : {}),
      })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Records (or updates) a plugin's variant as a server declared it. */
  async saveVariant(key: string, arms: readonly string[], description: string, now: number): Promise<void> {
    const values = { arms: JSON.stringify(arms), description, declared_at: now };
    await this.db
      .insertInto('experiment_variants')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet(values))
      .execute();
  }

  /** Every variant servers declared, as stored. */
  async variants(): Promise<{ key: string; arms: unknown; description: string }[]> {
    const rows = await this.db.selectFrom('experiment_variants').select(['key', 'arms', 'description']).execute();
    return rows.map((row) => ({ key: row.key, arms: safeJson(row.arms), description: row.description }));
  }

  /** Records that a user saw an arm; false when they had already (the first arm they saw stays). */
  async expose(experimentId: number, userId: number, arm: number, now: number): Promise<boolean> {
    const inserted = await this.bookkeeping
      .insertInto('experiment_users')
      .values({ experiment_id: experimentId, user_id: userId, arm, exposed_at: now })
      .onConflict((oc) => oc.columns(['experiment_id', 'user_id']).doNothing())
      .returning('arm')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Sets `flag` for the user in those of `experimentIds` they took part in. */
  async mark(flag: UserFlag, userId: number, experimentIds: readonly number[]): Promise<void> {
    if (experimentIds.length === 0) return;
    await this.bookkeeping
      .updateTable('experiment_users')
      .set({ [flag]: 1 })
      .where('user_id', '=', userId)
      .where('experiment_id', 'in', experimentIds)
      .where(flag, '=', 0)
      .execute();
  }

  async counts(experimentId: number): Promise<ArmCounts[]> {
    const rows = await this.db
      .selectFrom('experiment_users')
      .select((eb) => [
        'arm',
        eb.fn.countAll<number>().as('users'),
        eb.fn.sum<number>('converted').as('converted'),
        eb.fn.sum<number>(sql`case when converted = 1 and missed = 0 then 1 else 0 end`).as('answered'),
        eb.fn.sum<number>('errors').as('errors'),
        eb.fn.sum<number>('slow').as('slow'),
        eb.fn.sum<number>('blocked').as('blocked'),
      ])
      .where('experiment_id', '=', experimentId)
      .groupBy('arm')
      .execute();
    return rows.map((row) => ({
      arm: Number(row.arm),
      users: Number(row.users),
      converted: Number(row.converted),
      answered: Number(row.answered),
      errors: Number(row.errors),
      slow: Number(row.slow),
      blocked: Number(row.blocked),
    }));
  }
}

function fromRow(row: Selectable<ExperimentsTable>): Experiment {
  return {
    id: Number(row.id),
    target: row.target,
    arms: safeJson(row.arms) as unknown[],
    share: Number(row.share),
    metric: row.metric as PrimaryMetric,
    guards: safeJson(row.guards) as Record<string, number>,
    alpha: Number(row.alpha),
    tau: Number(row.tau),
    minUsers: Number(row.min_users),
    maxDurationMs: Number(row.max_duration_ms),
    status: row.status,
    proposedBy: row.proposed_by,
    reason: row.reason,
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    outcome: row.outcome === null ? null : (safeJson(row.outcome) as ExperimentOutcome),
  };
}
