// The mutation engine: starts experiments on declared targets (after approval, or at once where the
// operator allowed it), serves each taking-part user their arm, records what they do after, judges
// every running experiment continuously on the leading instance, and carries out the decision:
// promote the winner, revert at once an arm a guard metric condemns, end with control when time is
// up. Admins (panel, CLI) pause, resume, stop and promote by hand. Every step is in `audit_log`.
// Each instance keeps the running experiments in memory (serving.ts), refreshed on a change signal and a poll.
import type { Kysely } from 'kysely';
import type { Logger } from '../../config/logger.js';
import type { SettingKey } from '../../config/settings-catalog.js';
import type { PrimaryMetric } from '../../core/experiment-metrics.js';
import type { ExperimentProposal, ExperimentsDesk, ExperimentsHook } from '../../core/experiments.js';
import { AuditLog, type AuditRecord } from '../../db/audit-log.js';
import { type ChangeSignal, noChangeSignal } from '../../db/change-signal.js';
import type { Database, ExperimentStatus } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { OmniError } from '../../errors.js';
import { ALWAYS_LEADING, type IsLeader } from '../../lib/leading.js';
import { type Repetition, repeat } from '../../lib/repeat.js';
import { percent, points } from '../../lib/shares.js';
import { maxDurationMs, proposalSchema } from './proposal.js';
import { ArmServing } from './serving.js';
import { type Experiment, type ExperimentOutcome, ExperimentStore } from './store.js';
import { type ArmReport, judge } from './tallies.js';
import { type TargetInfo, Targets } from './targets.js';
import type { UserExperiments } from './user-experiments.js';

export interface ExperimentsOptions {
  readonly db: Kysely<Database>;
  /** Where exposures and per-user flags go (DatabaseHandle.bookkeeping); `db` by default. */
  readonly bookkeeping?: Kysely<Database>;
  readonly settings: SettingsStore;
  readonly signal?: ChangeSignal;
  readonly log: Logger;
  /** Only the leader judges experiments (one decision per deployment). */
  readonly isLeader?: IsLeader;
  /** How often running experiments are judged: the guard window's granularity (5 s). */
  readonly checkMs?: number;
  /** How often the experiments are read again, should a change signal be lost (1 s). */
  readonly pollMs?: number;
  /** Tells the operator an experiment ended on its own (a guard's revert, a promotion). */
  readonly alert?: (subject: string, message: string) => Promise<void>;
}

export interface ExperimentReport {
  readonly experiment: Experiment;
  readonly target: TargetInfo | undefined;
  readonly arms: ArmReport[];
  readonly textbookUsersPerArm: number | undefined;
  /** The experiment's audit entries (all but assignments), newest first. */
  readonly log: AuditRecord[];
}

const ACTIVE: readonly ExperimentStatus[] = ['running', 'paused'];
/** One experiment per target at a time, from its proposal to its end. */
const OPEN: readonly ExperimentStatus[] = ['proposed', ...ACTIVE];
/** Audit actions of the decision log (assignments are recorded as `experiment.assign`, one per user). */
export const DECISION_ACTIONS = [
  'experiment.propose',
  'experiment.start',
  'experiment.pause',
  'experiment.resume',
  'experiment.stop',
  'experiment.reject',
  'experiment.promote',
  'experiment.revert',
  'experiment.expire',
] as const;

export class Experiments implements ExperimentsHook, ExperimentsDesk {
  readonly targets: Targets;
  private readonly store: ExperimentStore;
  private readonly audit: AuditLog;
  private readonly serving: ArmServing;
  private promotions = new Map<string, unknown>();
  private loops: Repetition[] = [];
  private stopFollowing: () => void = () => {};

  constructor(private readonly options: ExperimentsOptions) {
    this.store = new ExperimentStore(options.db, options.bookkeeping);
    this.audit = new AuditLog(options.db);
    this.targets = new Targets(options.settings, (key) => this.promotions.get(key));
    this.serving = new ArmServing({
      store: this.store,
      assignments: new AuditLog(options.bookkeeping ?? options.db),
      settings: options.settings,
      targets: this.targets,
      log: options.log,
    });
  }

  /** Reads the experiments in, then follows changes and judges the running ones while on. */
  async start(): Promise<void> {
    await this.refresh();
    const { log } = this.options;
    const pollMs = this.options.pollMs ?? 1000;
    const isLeader = this.options.isLeader ?? ALWAYS_LEADING;
    this.loops = [
      repeat(() => this.refresh(), {
        every: pollMs,
        firstAfterMs: pollMs,
        onError: (error) => log.warn({ err: error }, 'experiments refresh failed'),
      }),
      repeat(() => (isLeader() ? this.evaluate() : undefined), {
        every: this.options.checkMs ?? 5000,
        onError: (error) => log.warn({ err: error }, 'judging experiments failed'),
      }),
    ];
    this.stopFollowing = (this.options.signal ?? noChangeSignal).subscribe('experiments', () => {
      this.refresh().catch((error: unknown) => log.warn({ err: error }, 'experiments refresh failed'));
    });
  }

  async stop(): Promise<void> {
    this.stopFollowing();
    await Promise.all(this.loops.map((loop) => loop.stop()));
    this.loops = [];
  }

  async refresh(): Promise<void> {
    const [running, promotions, variants] = await Promise.all([
      this.store.list(['running']),
      this.store.promotions(),
      this.store.variants(),
    ]);
    for (const variant of variants) this.targets.learnVariant(variant.key, variant.arms, variant.description);
    this.serving.follow(running);
    this.promotions = promotions;
  }

  /** What one update's handlers ask of the engine, for its sender (none: everyone's current values). */
  forUser(userId: number | undefined): UserExperiments {
    return this.serving.forUser(userId);
  }

  /** Registers a plugin's variant here, and for the CLI and the other instances when it is news. */
  declareVariant(plugin: string, name: string, arms: readonly string[], description = ''): string {
    return this.serving.declareVariant(plugin, name, arms, description);
  }

  /** A user's `metric` success (a payment), in the running experiments measuring it. */
  converted(userId: number, metric: PrimaryMetric): Promise<void> {
    return this.serving.converted(userId, metric);
  }

  // ——— Proposals and the admins' actions ———

  /**
   * Records a proposed experiment on a declared target; it starts at once (within the limits) when
   * `experiments.autoRun` lists its target, or when `start` is asked by an admin; else it waits for approval.
   */
  async propose(input: ExperimentProposal, by: string, options: { start?: boolean } = {}): Promise<Experiment> {
    const parsed = proposalSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new OmniError(
        'EXPERIMENT_INVALID',
        `${issue?.path.join('.') || 'proposal'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const proposal = parsed.data;
    const arms = this.targets.arms(proposal.target, proposal.values);
    const open = (await this.store.list(OPEN)).find((experiment) => experiment.target === proposal.target);
    if (open) throw new OmniError('EXPERIMENT_LIMIT', `#${open.id} on ${proposal.target} is ${open.status} already`);
    const autoRun = this.options.settings.get('experiments.autoRun').includes(proposal.target);
    const start = options.start === true || autoRun;
    if (start) await this.checkLimits(proposal.target, proposal.share);
    const experiment = await this.store.create(
      {
        target: proposal.target,
        arms,
        share: proposal.share,
        metric: proposal.metric,
        guards: proposal.guards,
        alpha: proposal.alpha,
        tau: proposal.tau,
        minUsers: proposal.minUsers,
        maxDurationMs: maxDurationMs(proposal),
        status: start ? 'running' : 'proposed',
        proposedBy: by,
        reason: proposal.reason,
      },
      Date.now(),
    );
    await this.record(by, 'experiment.propose', experiment, { arms, metric: proposal.metric, reason: proposal.reason });
    if (start)
      await this.record(autoRun && !options.start ? 'engine' : by, 'experiment.start', experiment, { autoRun });
    await this.changed();
    return experiment;
  }

  async get(id: number): Promise<Experiment> {
    const experiment = await this.store.get(id);
    if (!experiment) throw new OmniError('EXPERIMENT_NOT_FOUND', `#${id}`);
    return experiment;
  }

  list(statuses?: readonly ExperimentStatus[]): Promise<Experiment[]> {
    return this.store.list(statuses);
  }

  async approve(id: number, by: string): Promise<Experiment> {
    const experiment = await this.inStatus(id, ['proposed'], 'approve');
    await this.checkLimits(experiment.target, experiment.share);
    return this.move(experiment, ['proposed'], 'running', by, 'experiment.start');
  }

  async reject(id: number, by: string): Promise<Experiment> {
    const experiment = await this.inStatus(id, ['proposed'], 'reject');
    const outcome: ExperimentOutcome = { kind: 'rejected', by, reason: 'rejected by an admin' };
    return this.move(experiment, ['proposed'], 'rejected', by, 'experiment.reject', { outcome });
  }

  async pause(id: number, by: string): Promise<Experiment> {
    const experiment = await this.inStatus(id, ['running'], 'pause');
    return this.move(experiment, ['running'], 'paused', by, 'experiment.pause');
  }

  async resume(id: number, by: string): Promise<Experiment> {
    const experiment = await this.inStatus(id, ['paused'], 'resume');
    return this.move(experiment, ['paused'], 'running', by, 'experiment.resume');
  }

  /** Ends the experiment with control kept: everyone gets the current value again. */
  async stopExperiment(id: number, by: string, reason = 'stopped by hand'): Promise<Experiment> {
    const experiment = await this.inStatus(id, [...ACTIVE, 'proposed'], 'stop');
    const outcome: ExperimentOutcome = { kind: 'stopped', by, reason };
    return this.move(experiment, [...ACTIVE, 'proposed'], 'stopped', by, 'experiment.stop', { outcome });
  }

  /** Makes arm `arm` everyone's value (an admin's call, whatever the figures say). */
  async promote(id: number, arm: number, by: string): Promise<Experiment> {
    const experiment = await this.inStatus(id, ACTIVE, 'promote');
    if (!Number.isInteger(arm) || arm < 1 || arm >= experiment.arms.length)
      throw new OmniError('EXPERIMENT_INVALID', `arm: 1 to ${experiment.arms.length - 1} (0 is control: stop instead)`);
    return this.promoteArm(experiment, arm, { kind: 'promoted', by, reason: 'promoted by hand', arm });
  }

  /** The experiment with its arms' figures and its decision log. */
  async report(id: number): Promise<ExperimentReport> {
    const experiment = await this.get(id);
    const counts = await this.store.counts(id);
    const { arms, textbookUsersPerArm } = judge(experiment, counts, elapsed(experiment));
    const log = await this.audit.list({ limit: 100, target: `experiment:${id}`, actions: DECISION_ACTIONS });
    return { experiment, target: this.targets.get(experiment.target), arms, textbookUsersPerArm, log };
  }

  /** Judges every running experiment once and carries out what is decided. */
  async evaluate(): Promise<void> {
    for (const experiment of await this.store.list(['running'])) {
      const { decision } = judge(experiment, await this.store.counts(experiment.id), elapsed(experiment));
      if (decision.kind === 'continue') continue;
      if (decision.kind === 'promote') {
        const arm = Number(decision.arm);
        const reason = `${decision.arm === '0' ? 'control' : JSON.stringify(experiment.arms[arm])} beat control on ${experiment.metric}`;
        await this.promoteArm(experiment, arm, {
          kind: 'promoted',
          by: 'engine',
          reason,
          arm,
          difference: decision.difference,
        });
      } else if (decision.kind === 'revert') {
        const arm = Number(decision.arm);
        const reason = `${JSON.stringify(experiment.arms[arm])} raised ${decision.guard} by ${points(decision.difference.estimate)} points, past its bound of ${points(experiment.guards[decision.guard] ?? 0)}`;
        const outcome: ExperimentOutcome = {
          kind: 'reverted',
          by: 'engine',
          reason,
          arm,
          guard: decision.guard,
          difference: decision.difference,
        };
        await this.move(experiment, ['running'], 'reverted', 'engine', 'experiment.revert', { outcome });
        await this.tell(
          `Experiment #${experiment.id} reverted`,
          `${experiment.target}: ${reason}. Everyone is back on control.`,
        );
      } else {
        const outcome: ExperimentOutcome = { kind: 'expired', by: 'engine', reason: 'no arm beat control in time' };
        await this.move(experiment, ['running'], 'expired', 'engine', 'experiment.expire', { outcome });
      }
    }
  }

  private async promoteArm(experiment: Experiment, arm: number, outcome: ExperimentOutcome): Promise<Experiment> {
    const value = experiment.arms[arm];
    const moved = await this.move(experiment, ACTIVE, 'promoted', outcome.by, 'experiment.promote', {
      outcome,
      winner: value,
    });
    if (!experiment.target.startsWith('plugin:')) {
      const key = experiment.target as SettingKey;
      const from = this.options.settings.get(key);
      await this.options.settings.set(key, value);
      await this.audit.record({
        actor: `experiment:${experiment.id}`,
        action: 'setting.change',
        target: key,
        details: { from, to: value, reason: outcome.reason },
      });
    }
    if (outcome.by === 'engine')
      await this.tell(
        `Experiment #${experiment.id} promoted`,
        `${experiment.target} is now ${JSON.stringify(value)}: ${outcome.reason}.`,
      );
    return moved;
  }

  private async inStatus(id: number, statuses: readonly ExperimentStatus[], action: string): Promise<Experiment> {
    const experiment = await this.get(id);
    if (!statuses.includes(experiment.status))
      throw new OmniError('EXPERIMENT_STATE', `cannot ${action} #${id}: it is ${experiment.status}`);
    return experiment;
  }

  private async move(
    experiment: Experiment,
    from: readonly ExperimentStatus[],
    to: ExperimentStatus,
    by: string,
    action: (typeof DECISION_ACTIONS)[number],
    extra: { outcome?: ExperimentOutcome; winner?: unknown } = {},
  ): Promise<Experiment> {
    if (!(await this.store.transition(experiment.id, from, to, Date.now(), extra))) {
      const now = await this.get(experiment.id);
      throw new OmniError('EXPERIMENT_STATE', `#${experiment.id} is ${now.status} now`);
    }
    await this.record(by, action, experiment, extra.outcome ?? {});
    await this.changed();
    return this.get(experiment.id);
  }

  /** The limits a starting experiment must keep: one per target, a number at once, a share of traffic. */
  private async checkLimits(target: string, share: number): Promise<void> {
    const active = await this.store.list(ACTIVE);
    if (active.some((experiment) => experiment.target === target))
      throw new OmniError('EXPERIMENT_LIMIT', `an experiment on ${target} runs already`);
    const maxConcurrent = this.options.settings.get('experiments.maxConcurrent');
    if (active.length >= maxConcurrent)
      throw new OmniError(
        'EXPERIMENT_LIMIT',
        `${active.length} experiments run already (experiments.maxConcurrent ${maxConcurrent})`,
      );
    const taken = active.reduce((sum, experiment) => sum + experiment.share, 0);
    const maxShare = this.options.settings.get('experiments.maxTrafficShare');
    if (taken + share > maxShare + 1e-9)
      throw new OmniError(
        'EXPERIMENT_LIMIT',
        `running experiments take ${percent(taken)} of users; ${percent(share)} more passes experiments.maxTrafficShare (${percent(maxShare)})`,
      );
  }

  private record(actor: string, action: string, experiment: Experiment, details: object): Promise<void> {
    return this.audit.record({
      actor,
      action,
      target: `experiment:${experiment.id}`,
      details: { target: experiment.target, ...details },
    });
  }

  private async tell(subject: string, message: string): Promise<void> {
    this.options.log.warn({ subject }, message);
    await this.options.alert?.(subject, message).catch((error: unknown) => {
      this.options.log.warn({ err: error }, 'could not alert about an experiment');
    });
  }

  private async changed(): Promise<void> {
    (this.options.signal ?? noChangeSignal).publish('experiments');
    await this.refresh();
  }
}

function elapsed(experiment: Experiment): number {
  return experiment.startedAt === null ? 0 : Date.now() - experiment.startedAt;
}
