// What each update gets from the mutation engine: the running experiments as this process last read
// them, each taking-part user's arm (recorded the first time it is served, with its audit entry),
// and flags for what they did after. A variant a plugin declares is stored for the other processes
// when it is news to this one.
import type { Logger } from '../../config/logger.js';
import type { SettingKey, SettingValue } from '../../config/settings-catalog.js';
import type { PrimaryMetric } from '../../core/experiment-metrics.js';
import type { AuditLog } from '../../db/audit-log.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { assignArm } from './assignment.js';
import type { Experiment, ExperimentStore, UserFlag } from './store.js';
import type { Targets } from './targets.js';
import { type ExperimentServer, UserExperiments } from './user-experiments.js';

export interface ArmServingDeps {
  readonly store: ExperimentStore;
  /** The audit log that takes `experiment.assign` (on the bookkeeping connections). */
  readonly assignments: AuditLog;
  readonly settings: SettingsStore;
  readonly targets: Targets;
  readonly log: Logger;
}

export class ArmServing implements ExperimentServer {
  private running: readonly Experiment[] = [];
  /** `<experiment>:<user>` already recorded by this process: no second insert per update. */
  private readonly exposed = new Set<string>();
  private readonly idle = new UserExperiments(this, undefined);

  constructor(private readonly deps: ArmServingDeps) {}

  /** The running experiments as just read; what this process recorded of the others is forgotten. */
  follow(running: readonly Experiment[]): void {
    const ids = new Set(running.map((experiment) => experiment.id));
    for (const key of this.exposed) if (!ids.has(Number(key.slice(0, key.indexOf(':'))))) this.exposed.delete(key);
    this.running = running;
  }

  forUser(userId: number | undefined): UserExperiments {
    // With nothing running there is nothing to serve or count: every update shares one view.
    return this.running.length === 0 ? this.idle : new UserExperiments(this, userId);
  }

  /** Whether any experiment runs now: when none does, observing a user writes nothing. */
  get active(): boolean {
    return this.running.length > 0;
  }

  /** Registers a plugin's variant here, and for the CLI and the other instances when it is news. */
  declareVariant(plugin: string, name: string, arms: readonly string[], description = ''): string {
    const { key, changed } = this.deps.targets.declareVariant(plugin, name, arms, description);
    if (changed) {
      const known = this.deps.targets.get(key)?.description ?? description;
      this.deps.store.saveVariant(key, arms, known, Date.now()).catch((error: unknown) => {
        this.deps.log.warn({ err: error, variant: key }, 'could not record a variant');
      });
    }
    return key;
  }

  /** The value of a setting for this user: their arm while an experiment on it runs and takes them in. */
  settingFor<K extends SettingKey>(key: K, userId: number | undefined, update: UserExperiments): SettingValue<K> {
    const served = this.serve(key, userId, update);
    return (served ? served.value : this.deps.settings.get(key)) as SettingValue<K>;
  }

  /** The arm of a plugin's variant for this user: theirs in a running experiment, else its current value. */
  variantFor(key: string, userId: number | undefined, update: UserExperiments): unknown {
    return this.serve(key, userId, update)?.value ?? this.deps.targets.get(key)?.current;
  }

  private serve(key: string, userId: number | undefined, update: UserExperiments): { value: unknown } | undefined {
    if (userId === undefined || this.running.length === 0) return undefined;
    const experiment = this.running.find((candidate) => candidate.target === key);
    if (!experiment) return undefined;
    const arm = armOf(experiment, userId);
    if (arm === undefined) return undefined;
    const seen = `${experiment.id}:${userId}`;
    if (!this.exposed.has(seen)) {
      this.exposed.add(seen);
      update.exposing(experiment.id, this.recordExposure(experiment, userId, arm));
    }
    return { value: experiment.arms[arm] };
  }

  private async recordExposure(experiment: Experiment, userId: number, arm: number): Promise<void> {
    try {
      if (!(await this.deps.store.expose(experiment.id, userId, arm, Date.now()))) return;
      await this.deps.assignments.record({
        actor: `telegram:${userId}`,
        action: 'experiment.assign',
        target: `experiment:${experiment.id}`,
        details: { arm, value: experiment.arms[arm] },
      });
    } catch (error) {
      this.exposed.delete(`${experiment.id}:${userId}`);
      this.deps.log.warn({ err: error, experiment: experiment.id }, 'could not record who saw an arm');
    }
  }

  /** Sets `flag` for the user in the running experiments `applies` picks that took them in. */
  async flag(flag: UserFlag, userId: number, applies: (experiment: Experiment) => boolean): Promise<void> {
    const ids = this.running
      .filter((experiment) => applies(experiment) && armOf(experiment, userId) !== undefined)
      .map((experiment) => experiment.id);
    if (ids.length === 0) return;
    try {
      await this.deps.store.mark(flag, userId, ids);
    } catch (error) {
      this.deps.log.warn({ err: error, flag }, 'could not record what a user in an experiment did');
    }
  }

  /** A user's `metric` success, in the experiments measuring it (and, for `goal`, on `target`). */
  converted(userId: number, metric: PrimaryMetric, target?: string): Promise<void> {
    return this.flag(
      'converted',
      userId,
      (experiment) => experiment.metric === metric && (!target || experiment.target === target),
    );
  }
}

function armOf(experiment: Experiment, userId: number): number | undefined {
  return assignArm(`experiment:${experiment.id}`, userId, experiment.arms.length, experiment.share);
}
