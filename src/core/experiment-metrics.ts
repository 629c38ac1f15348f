// What an experiment of the mutation engine measures, per user who saw an arm: one primary metric
// (higher is better) and the guard metrics (higher is worse). Each is a share of the arm's users, so
// that one test serves all. The names are part of the plugin API (ExperimentProposal).

export const PRIMARY_METRICS = {
  command: 'ran a command other than /start and /help after seeing the arm',
  purchase: 'paid for something after seeing the arm',
  answered: 'had a plain message answered, and was never told "not sure" nor sent /help after seeing the arm',
  goal: "reached the plugin's goal for its variant (c.experiments.goal())",
} as const;

export type PrimaryMetric = keyof typeof PRIMARY_METRICS;

/** Past this, a handled update counts as slow for the `slow` guard. */
export const SLOW_MS = 2000;

export const GUARD_METRICS = {
  errors: { description: 'had an update fail in a handler', bound: 0.02 },
  slow: { description: `had an update take over ${SLOW_MS / 1000} s to handle`, bound: 0.05 },
  blocked: { description: 'blocked the bot', bound: 0.02 },
} as const;

export type GuardMetric = keyof typeof GUARD_METRICS;

export const GUARD_NAMES = Object.keys(GUARD_METRICS) as GuardMetric[];

/** Every guard at its default bound: how much higher than control's an arm's rate may be. */
export function defaultGuards(): Record<GuardMetric, number> {
  return Object.fromEntries(GUARD_NAMES.map((name) => [name, GUARD_METRICS[name].bound])) as Record<
    GuardMetric,
    number
  >;
}

export function isPrimaryMetric(name: string): name is PrimaryMetric {
  return Object.hasOwn(PRIMARY_METRICS, name);
}

export function isGuardMetric(name: string): name is GuardMetric {
  return Object.hasOwn(GUARD_METRICS, name);
}
