// One update's view of the mutation engine, for its sender: serves their arms and records what the
// update did. Exposures are written before anything the update is counted for, and the update is
// not done until they are, so that a user's flags never arrive before the row they set.
import type { SettingKey, SettingValue } from '../../config/settings-catalog.js';
import type { PrimaryMetric } from '../../core/experiment-metrics.js';
import { SLOW_MS } from '../../core/experiment-metrics.js';
import type { HandledUpdate, UserExperiments as UserExperimentsApi } from '../../core/experiments.js';
import type { Experiment, UserFlag } from './store.js';
import { variantKey } from './targets.js';

/** What the engine (engine.ts) does for one update's view. */
export interface ExperimentServer {
  readonly active: boolean;
  declareVariant(plugin: string, name: string, arms: readonly string[]): string;
  settingFor<K extends SettingKey>(key: K, userId: number | undefined, update: UserExperiments): SettingValue<K>;
  variantFor(key: string, userId: number | undefined, update: UserExperiments): unknown;
  flag(flag: UserFlag, userId: number, applies: (experiment: Experiment) => boolean): Promise<void>;
  converted(userId: number, metric: PrimaryMetric, target?: string): Promise<void>;
}

export class UserExperiments implements UserExperimentsApi {
  private readonly writes: Promise<void>[] = [];
  /** Experiments this update showed the sender for the first time: its own command is not a success after it. */
  private readonly exposedNow = new Set<number>();

  constructor(
    private readonly engine: ExperimentServer,
    private readonly userId: number | undefined,
  ) {}

  setting<K extends SettingKey>(key: K): SettingValue<K> {
    return this.engine.settingFor(key, this.userId, this);
  }

  variant(plugin: string, name: string, arms: readonly string[]): string {
    const key = this.engine.declareVariant(plugin, name, arms);
    const value = this.engine.variantFor(key, this.userId, this);
    return arms.includes(value as string) ? (value as string) : (arms[0] as string);
  }

  /** Called by the engine when it wrote (or writes) the sender's first sight of an arm. */
  exposing(experimentId: number, write: Promise<void>): void {
    this.exposedNow.add(experimentId);
    this.writes.push(write);
  }

  answered(sure: boolean): void {
    const userId = this.userId;
    if (userId === undefined || !this.engine.active) return;
    this.after(() =>
      sure
        ? this.engine.converted(userId, 'answered')
        : this.engine.flag('missed', userId, (experiment) => experiment.metric === 'answered'),
    );
  }

  goal(plugin: string, name: string): Promise<void> {
    const userId = this.userId;
    if (userId === undefined || !this.engine.active) return Promise.resolve();
    return this.after(() => this.engine.converted(userId, 'goal', variantKey(plugin, name)));
  }

  async finish({ command, failed, latencyMs, blocked }: HandledUpdate): Promise<void> {
    const userId = this.userId;
    if (userId !== undefined && this.engine.active) {
      const engine = this.engine;
      const everywhere = () => true;
      this.after(() =>
        Promise.all([
          command === 'help'
            ? engine.flag('missed', userId, (experiment) => experiment.metric === 'answered')
            : undefined,
          command && command !== 'help' && command !== 'start' && !failed
            ? engine.flag(
                'converted',
                userId,
                (experiment) => experiment.metric === 'command' && !this.exposedNow.has(experiment.id),
              )
            : undefined,
          failed ? engine.flag('errors', userId, everywhere) : undefined,
          latencyMs > SLOW_MS ? engine.flag('slow', userId, everywhere) : undefined,
          blocked ? engine.flag('blocked', userId, everywhere) : undefined,
        ]).then(() => undefined),
      );
    }
    await Promise.all(this.writes);
  }

  /** Runs `write` once the exposures so far are stored; the update waits for it too. */
  private after(write: () => Promise<unknown>): Promise<void> {
    const exposures = Promise.all(this.writes);
    const done = exposures.then(write).then(() => undefined);
    this.writes.push(done);
    return done;
  }
}
