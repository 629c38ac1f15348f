// What an experiment is asked for with, from an admin, the CLI, a plugin or the observer: checked
// with zod (it comes from outside), with the defaults an operator would choose when silent.
import { z } from 'zod';
import { defaultGuards, GUARD_NAMES, type GuardMetric, PRIMARY_METRICS } from '../../core/experiment-metrics.js';

export const proposalSchema = z.object({
  /** A setting key declared mutable, or `plugin:<name>/<variant>`. */
  target: z.string().min(1).max(200),
  /** The values to try against the current one (control). */
  values: z.array(z.unknown()).min(1).max(3),
  metric: z.enum(Object.keys(PRIMARY_METRICS) as [keyof typeof PRIMARY_METRICS, ...(keyof typeof PRIMARY_METRICS)[]]),
  /** The share of users that take part, split evenly between control and the values. */
  share: z.number().min(0.01).max(1).default(0.2),
  /** Per guard, how much higher than control's its rate may rise before the arm is reverted. */
  guards: z
    .partialRecord(z.enum(GUARD_NAMES as [GuardMetric, ...GuardMetric[]]), z.number().min(0).max(1))
    .default({})
    .transform((given) => ({ ...defaultGuards(), ...given })),
  /** The chance of promoting a value that is not better. */
  alpha: z.number().min(0.001).max(0.2).default(0.05),
  /** The smallest difference in the primary metric worth finding (as a share: 0.05 is 5 points). */
  tau: z.number().min(0.005).max(0.5).default(0.05),
  minUsers: z.number().int().min(30).max(1_000_000).default(100),
  maxDurationHours: z
    .number()
    .min(0.01)
    .max(24 * 90)
    .default(14 * 24),
  /** Why: what the proposer saw. */
  reason: z.string().max(500).default(''),
});

export type Proposal = z.output<typeof proposalSchema>;

export function maxDurationMs(proposal: Proposal): number {
  return Math.round(proposal.maxDurationHours * 3_600_000);
}
