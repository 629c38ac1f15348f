// From an experiment's counts to what the decision and the panel read: each arm's primary metric and
// guard metrics as rates, and each compared with control by the always-valid interval.
import { type ArmTally, compareArm, type Decision, decide } from './decision.js';
import { type Difference, MIN_TRIALS, type RateSample, textbookSampleSize } from './sequential-test.js';
import type { ArmCounts, Experiment } from './store.js';

export interface ArmReport {
  readonly index: number;
  readonly value: unknown;
  readonly users: number;
  readonly primary: RateSample & { readonly rate: number; readonly vsControl?: Difference };
  readonly guards: Readonly<
    Record<string, RateSample & { readonly rate: number; readonly bound: number; readonly vsControl?: Difference }>
  >;
}

export interface Judgement {
  readonly arms: ArmReport[];
  readonly decision: Decision;
  /** Users per arm a fixed-horizon test needs to find a difference of `tau` from control's rate at 80% power. */
  readonly textbookUsersPerArm: number | undefined;
}

export function judge(experiment: Experiment, counts: readonly ArmCounts[], elapsedMs: number): Judgement {
  const byArm = new Map(counts.map((count) => [count.arm, count]));
  const tallies: ArmTally[] = experiment.arms.map((_, index) => {
    const count = byArm.get(index);
    const users = count?.users ?? 0;
    const successes = count ? (experiment.metric === 'answered' ? count.answered : count.converted) : 0;
    const guards = Object.fromEntries(
      Object.keys(experiment.guards).map((guard) => [
        guard,
        { successes: count ? (count[guard as keyof ArmCounts] as number) : 0, trials: users },
      ]),
    );
    return { arm: String(index), primary: { successes, trials: users }, guards };
  });
  const [control, ...others] = tallies as [ArmTally, ...ArmTally[]];
  const rules = { alpha: experiment.alpha, tau: experiment.tau };
  const rate = (sample: RateSample) => (sample.trials === 0 ? 0 : sample.successes / sample.trials);
  const arms = tallies.map((tally, index): ArmReport => {
    const compared = index > 0 ? compareArm(tally, control, others.length, rules) : undefined;
    const vsControl = compared?.primary;
    return {
      index,
      value: experiment.arms[index],
      users: tally.primary.trials,
      primary: { ...tally.primary, rate: rate(tally.primary), ...(vsControl ? { vsControl } : {}) },
      guards: Object.fromEntries(
        Object.entries(tally.guards).map(([guard, sample]) => {
          const difference = compared?.guards[guard];
          const bound = experiment.guards[guard] ?? 0;
          return [guard, { ...sample, rate: rate(sample), bound, ...(difference ? { vsControl: difference } : {}) }];
        }),
      ),
    };
  });
  const decision = decide(
    control,
    others,
    {
      ...rules,
      minUsersPerArm: experiment.minUsers,
      maxDurationMs: experiment.maxDurationMs,
      guardBounds: experiment.guards,
    },
    elapsedMs,
  );
  const base = control.primary.trials >= MIN_TRIALS ? control.primary.successes / control.primary.trials : undefined;
  const textbookUsersPerArm =
    base !== undefined && base + experiment.tau < 1
      ? textbookSampleSize(base, base + experiment.tau, experiment.alpha / others.length, 0.8)
      : undefined;
  return { arms, decision, textbookUsersPerArm };
}
