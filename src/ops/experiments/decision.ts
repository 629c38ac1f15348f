// What an experiment should do now, from its tallies: revert an arm at once when a guard metric shows
// it hurts beyond its bound (checked at every look, before anything else), promote the best arm once
// every arm has its minimum sample and the primary metric says it beats control, stop with control
// kept when the maximum duration passes. Pure: the engine feeds it counts and carries out the answer.
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

export function decide(
  control: ArmTally,
  arms: readonly ArmTally[],
  rules: DecisionRules,
  elapsedMs: number,
): Decision {
  for (const arm of arms) {
    for (const [guard, bound] of Object.entries(rules.guardBounds)) {
      const armGuard = arm.guards[guard];
      const controlGuard = control.guards[guard];
      if (!armGuard || !controlGuard) continue;
      const difference = compareRates(armGuard, controlGuard, { alpha: rules.alpha, tau: rules.tau });
      if (difference && difference.low > bound) return { kind: 'revert', arm: arm.arm, guard, difference };
    }
  }
  const sampled = [control, ...arms].every((tally) => tally.primary.trials >= rules.minUsersPerArm);
  if (sampled) {
    // Each arm is a comparison of its own: their chances of a false win add up (Bonferroni).
    const options = { alpha: rules.alpha / arms.length, tau: rules.tau };
    let best: { arm: string; difference: Difference } | undefined;
    for (const arm of arms) {
      const difference = compareRates(arm.primary, control.primary, options);
      if (difference && difference.low > 0 && (!best || difference.estimate > best.difference.estimate)) {
        best = { arm: arm.arm, difference };
      }
    }
    if (best) return { kind: 'promote', ...best };
  }
  return elapsedMs >= rules.maxDurationMs ? { kind: 'expire' } : { kind: 'continue' };
}
