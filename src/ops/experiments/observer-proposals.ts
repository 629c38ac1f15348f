// The observer's proposals to the mutation engine: what the sampled metrics say an experiment could
// improve. Today one rule: when the local conversation engine said "not sure" to a large share of
// many messages over the last day, try a lower confidence threshold. A proposal waits for an admin
// (unless experiments.autoRun lists the setting); one is not made again while an experiment on the
// setting is open, nor within a week after the last one ended, whatever its end.
import type { Logger } from '../../config/logger.js';
import { OmniError } from '../../errors.js';
import { type IsLeader, whenLeading } from '../../lib/leading.js';
import { type Repetition, repeat } from '../../lib/repeat.js';
import type { MetricName } from '../observer/metric-catalog.js';
import type { Point } from '../observer/metric-store.js';
import type { Experiments } from './engine.js';

const TARGET = 'conversation.confidenceThreshold';
const DAY_MS = 86_400_000;
const WINDOW_MS = DAY_MS;
const QUIET_AFTER_END_MS = 7 * DAY_MS;
/** Fewer answers than this in a day say too little about the threshold. */
export const MIN_ANSWERS = 100;
/** From this share of "not sure" answers on, a lower threshold is worth trying. */
export const UNSURE_SHARE = 0.35;

export interface ObserverProposalDeps {
  readonly experiments: Experiments;
  /** The deployment's per-minute history of an observed metric (Observer.history at '1m'). */
  readonly history: (name: MetricName, from: number, to: number) => Promise<Point[]>;
  readonly log: Logger;
}

/** Looks once; resolves to the experiment it proposed, if any. */
export async function proposeFromObservations(
  deps: ObserverProposalDeps,
  now = Date.now(),
): Promise<number | undefined> {
  const from = now - WINDOW_MS;
  const [answerRates, unsureRates] = await Promise.all([
    deps.history('conversation.answers_per_minute', from, now),
    deps.history('conversation.unsure_rate', from, now),
  ]);
  // A per-minute rollup holds a minute's rate: its answers are the rate itself.
  const answersAt = new Map(answerRates.map((point) => [point.at, point.value]));
  const answers = answerRates.reduce((sum, point) => sum + point.value, 0);
  const unsure = unsureRates.reduce((sum, point) => sum + point.value * (answersAt.get(point.at) ?? 0), 0);
  if (answers < MIN_ANSWERS || unsure / answers < UNSURE_SHARE) return undefined;

  const target = deps.experiments.targets.get(TARGET);
  const current = Number(target?.current);
  const lower = (target?.values ?? []).filter((value) => Number(value) < current).sort((a, b) => Number(b) - Number(a));
  if (lower.length === 0) return undefined;
  const earlier = (await deps.experiments.list()).filter((experiment) => experiment.target === TARGET);
  if (earlier.some((experiment) => experiment.endedAt === null || now - experiment.endedAt < QUIET_AFTER_END_MS))
    return undefined;
  const share = Math.round((unsure / answers) * 100);
  try {
    const experiment = await deps.experiments.propose(
      {
        target: TARGET,
        values: lower.slice(0, 2),
        metric: 'answered',
        reason: `${share}% of ${Math.round(answers)} plain messages in the last 24 h were answered "not sure" at a threshold of ${current}`,
      },
      'observer',
    );
    deps.log.info({ experiment: experiment.id, target: TARGET }, 'the observer proposed an experiment');
    return experiment.id;
  } catch (error) {
    if (error instanceof OmniError && error.code.startsWith('EXPERIMENT_')) {
      deps.log.debug({ err: error }, 'the observer did not propose an experiment');
      return undefined;
    }
    throw error;
  }
}

/** Looks every `everyMs` (an hour) on the leading instance. */
export function startObserverProposals(
  deps: ObserverProposalDeps & { readonly isLeader: IsLeader; readonly everyMs?: number },
): Repetition {
  return repeat(
    whenLeading(deps.isLeader, () => proposeFromObservations(deps)),
    {
      every: deps.everyMs ?? 3_600_000,
      firstAfterMs: deps.everyMs ?? 3_600_000,
      onError: (error) => deps.log.warn({ err: error }, 'the observer could not look for experiments to propose'),
    },
  );
}
