// What an experiment should do now, from its tallies: revert an arm at once when a guard metric shows
// it hurts beyond its bound (checked at every look, before anything else), promote the best arm once
// every arm has its minimum sample and the primary metric says it beats control, stop with control
// kept when the maximum duration passes. Pure: the engine feeds it counts and carries out the answer.
// `compareArm` is the one place an arm meets control, for the decision and for what reports show.
import { compareRates, type Difference, type RateSample } from './sequential-test.js';

export interface ArmTally {
  readonly arm: string;
  /** The primary metric: higher is better (a completion, a purchase). */
  readonly primary: RateSample;
  /** Guard metrics by name: higher is worse (errors, users blocking the bot, unsubscribes). */
  readonly guards: Readonly<Record<string, RateSample>>;
}

export interface DecisionRules {
  /** The chance of promoting an arm that is not better, over the whole experiment. */
  readonly alpha: number;
  /** The smallest difference in the primary metric worth finding (see SequentialOptions.tau). */
  readonly tau: number;
  readonly minUsersPerArm: number;
  readonly maxDurationMs: number;
  /** Per guard, how much higher than control's its rate may be before the arm is reverted. */
  readonly guardBounds: Readonly<Record<string, number>>;
}

export type Decision =
  | { readonly kind: 'continue' }
  | { readonly kind: 'revert'; readonly arm: string; readonly guard: string; readonly difference: Difference }
  | { readonly kind: 'promote'; readonly arm: string; readonly difference: Difference }
  | { readonly kind: 'expire' };

/** An arm's metrics against control's, by the intervals a decision reads. */
export interface ArmComparison {
  /** Undefined while either side has too few users. */
  readonly primary: Difference | undefined;
  readonly guards: Readonly<Record<string, Difference | undefined>>;
}

/**
 * Compares one of `arms` arms with control: each guard at `alpha`, the primary metric at `alpha`
 * split between the arms, since their chances of a false win add up (Bonferroni). The panel and the
 * CLI show these intervals, so they are the very ones `decide` judges.
 */
export function compareArm(
  arm: ArmTally,
  control: ArmTally,
  arms: number,
  { alpha, tau }: Pick<DecisionRules, 'alpha' | 'tau'>,
): ArmComparison {
  const guards = Object.fromEntries(
    Object.entries(arm.guards).map(([guard, sample]) => {
      const controlGuard = control.guards[guard];
      return [guard, controlGuard ? compareRates(sample, controlGuard, { alpha, tau }) : undefined];
    }),
  );
  return { primary: compareRates(arm.primary, control.primary, { alpha: alpha / arms, tau }), guards };
}

export function decide(
  control: ArmTally,
  arms: readonly ArmTally[],
  rules: DecisionRules,
  elapsedMs: number,
): Decision {
  const compared = arms.map((arm) => ({ arm: arm.arm, ...compareArm(arm, control, arms.length, rules) }));
  for (const { arm, guards } of compared) {
    for (const [guard, bound] of Object.entries(rules.guardBounds)) {
      const difference = guards[guard];
      if (difference && difference.low > bound) return { kind: 'revert', arm, guard, difference };
    }
  }
  const sampled = [control, ...arms].every((tally) => tally.primary.trials >= rules.minUsersPerArm);
  if (sampled) {
    let best: { arm: string; difference: Difference } | undefined;
    for (const { arm, primary } of compared) {
      if (primary && primary.low > 0 && (!best || primary.estimate > best.difference.estimate)) {
        best = { arm, difference: primary };
      }
    }
    if (best) return { kind: 'promote', ...best };
  }
  return elapsedMs >= rules.maxDurationMs ? { kind: 'expire' } : { kind: 'continue' };
}
