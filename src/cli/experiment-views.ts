// What `omnicore experiments` prints: experiments as text or as the JSON its --help documents, one
// experiment's report (arms, intervals against control, guards, decision log), and the targets.
// JSON keeps the engine's fractions (0.031); text shows percentages and percentage points.
import { PRIMARY_METRICS } from '../core/experiment-metrics.js';
import { safeJson } from '../lib/safe-json.js';
import { percent, points } from '../lib/shares.js';
import type { ExperimentReport } from '../ops/experiments/engine.js';
import type { Difference } from '../ops/experiments/sequential-test.js';
import type { Experiment } from '../ops/experiments/store.js';
import type { TargetInfo } from '../ops/experiments/targets.js';

/** One experiment as `list --json` prints it, and as `show --json` carries it. */
export function experimentJson(experiment: Experiment, users: readonly number[]) {
  return {
    id: experiment.id,
    status: experiment.status,
    target: experiment.target,
    arms: experiment.arms,
    share: experiment.share,
    metric: experiment.metric,
    users,
    guards: experiment.guards,
    alpha: experiment.alpha,
    tau: experiment.tau,
    minUsers: experiment.minUsers,
    maxHours: experiment.maxDurationMs / 3_600_000,
    proposedBy: experiment.proposedBy,
    reason: experiment.reason,
    createdAt: iso(experiment.createdAt),
    startedAt: iso(experiment.startedAt),
    endedAt: iso(experiment.endedAt),
    outcome: experiment.outcome,
  };
}

export function reportJson(report: ExperimentReport) {
  return {
    experiment: experimentJson(
      report.experiment,
      report.arms.map((arm) => arm.users),
    ),
    arms: report.arms.map((arm) => ({
      arm: arm.index,
      value: arm.value,
      users: arm.users,
      primary: { successes: arm.primary.successes, rate: arm.primary.rate, vsControl: arm.primary.vsControl ?? null },
      guards: Object.fromEntries(
        Object.entries(arm.guards).map(([name, guard]) => [
          name,
          { successes: guard.successes, rate: guard.rate, bound: guard.bound, vsControl: guard.vsControl ?? null },
        ]),
      ),
    })),
    textbookUsersPerArm: report.textbookUsersPerArm ?? null,
    log: report.log.map((entry) => ({
      at: iso(entry.at),
      actor: entry.actor,
      action: entry.action,
      details: entry.details === null ? null : safeJson(entry.details),
    })),
  };
}

export function experimentsText(entries: readonly { experiment: Experiment; users: readonly number[] }[]): string {
  if (entries.length === 0) return 'no experiments';
  return entries
    .map(({ experiment, users }) => {
      const times = [
        experiment.startedAt === null ? `created ${iso(experiment.createdAt)}` : `started ${iso(experiment.startedAt)}`,
        ...(experiment.endedAt === null ? [] : [`ended ${iso(experiment.endedAt)}`]),
      ].join(', ');
      const lines = [
        `#${experiment.id}  ${experiment.status.padEnd(8)}  ${experiment.target}: ${armValues(experiment)}`,
        `    metric ${experiment.metric}, share ${percent(experiment.share)}, users ${users.join(' | ')}, ${times}`,
      ];
      if (experiment.outcome) lines.push(`    ${outcomeText(experiment)}`);
      return lines.join('\n');
    })
    .join('\n');
}

export function reportText(report: ExperimentReport): string {
  const { experiment, arms } = report;
  const control = arms[0];
  const valueWidth = Math.max(5, ...arms.map((arm) => shown(arm.value).length));
  const lines = [
    `#${experiment.id} ${experiment.target} — ${experiment.status}, proposed by ${experiment.proposedBy}${experiment.reason ? `: ${experiment.reason}` : ''}`,
    `metric ${experiment.metric} (${PRIMARY_METRICS[experiment.metric]})`,
    `share ${percent(experiment.share)} of users, at least ${experiment.minUsers} users per arm, alpha ${experiment.alpha}, tau ${points(experiment.tau)} points, at most ${experiment.maxDurationMs / 3_600_000} h`,
    [
      `created ${iso(experiment.createdAt)}`,
      ...(experiment.startedAt === null ? [] : [`started ${iso(experiment.startedAt)}`]),
      ...(experiment.endedAt === null ? [] : [`ended ${iso(experiment.endedAt)}`]),
    ].join(', '),
    '',
    `arm  ${'value'.padEnd(valueWidth)}  users  ${experiment.metric.padEnd(7)}  vs control (points)`,
    ...arms.map(
      (arm) =>
        `${String(arm.index).padEnd(3)}  ${shown(arm.value).padEnd(valueWidth)}  ${String(arm.users).padStart(5)}  ${percent(arm.primary.rate, 1).padEnd(7)}  ${
          arm.index === 0 ? 'control' : interval(arm.primary.vsControl)
        }`,
    ),
    '',
    'guards (an arm is reverted once its interval lies wholly above the bound):',
    ...Object.entries(experiment.guards).map(([guard, bound]) => {
      const perArm = arms.map((arm) => {
        const rate = arm.guards[guard];
        const name = arm.index === 0 ? 'control' : shown(arm.value);
        return rate
          ? `${name} ${percent(rate.rate, 1)}${arm.index === 0 ? '' : ` (${interval(rate.vsControl)})`}`
          : name;
      });
      return `  ${guard} (bound +${points(bound)} points): ${perArm.join(', ')}`;
    }),
    '',
    report.textbookUsersPerArm === undefined
      ? `textbook sample size: not yet (control needs 30 users${control ? `, has ${control.users}` : ''})`
      : `textbook sample size: ${report.textbookUsersPerArm} users per arm (fixed horizon, 80% power, a difference of ${points(experiment.tau)} points)`,
    `outcome: ${experiment.outcome ? outcomeText(experiment) : 'none yet'}`,
    '',
    'decision log:',
    ...report.log.map((entry) => `  ${iso(entry.at)}  ${entry.actor}  ${entry.action}${detailsText(entry.details)}`),
  ];
  return lines.join('\n');
}

export function targetsText(targets: readonly TargetInfo[]): string {
  if (targets.length === 0) return 'nothing is declared mutable';
  return targets
    .map(
      (target) =>
        `${target.key} = ${shown(target.current)}  (allowed: ${target.values.map(shown).join(', ')})\n    ${target.description}`,
    )
    .join('\n');
}

/** The arms' values, control marked: `"classic" (control) | "guided"`. */
export function armValues(experiment: Experiment): string {
  return experiment.arms.map((value, index) => `${shown(value)}${index === 0 ? ' (control)' : ''}`).join(' | ');
}

export function shown(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function outcomeText(experiment: Experiment): string {
  const outcome = experiment.outcome;
  if (!outcome) return '';
  const arm = outcome.arm === undefined ? '' : ` (arm ${outcome.arm}, ${shown(experiment.arms[outcome.arm])})`;
  const difference = outcome.difference ? `; ${interval(outcome.difference)} points` : '';
  return `${outcome.kind} by ${outcome.by}${arm}: ${outcome.reason}${difference}`;
}

function detailsText(details: string | null): string {
  if (details === null) return '';
  const parsed = safeJson(details);
  if (!parsed || typeof parsed !== 'object') return `  ${details}`;
  // Every entry names the experiment's target, which the report's first line says already.
  const { target: _target, ...rest } = parsed as Record<string, unknown>;
  return Object.keys(rest).length === 0 ? '' : `  ${JSON.stringify(rest)}`;
}

function interval(difference: Difference | undefined): string {
  if (!difference) return 'needs 30 users per side';
  return `${signed(difference.estimate)} [${signed(difference.low)}, ${signed(difference.high)}]`;
}

function signed(share: number): string {
  return `${share >= 0 ? '+' : ''}${points(share)}`;
}

function iso(ms: number): string;
function iso(ms: number | null): string | null;
function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
