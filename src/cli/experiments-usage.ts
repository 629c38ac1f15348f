// What `omnicore experiments --help` prints, JSON shapes included; apart from experiments.ts so that
// `omnicore --help` does not load the engine. Its first line is the one a usage error repeats.
import { PRIMARY_METRICS } from '../core/experiment-metrics.js';
import { EXPERIMENT_STATUSES } from '../db/schema.js';

export const EXPERIMENTS_USAGE = `usage: omnicore experiments list | show <id> | stop <id> | targets | start <target> <value…> | approve|reject|pause|resume <id> | promote <id> <arm>

  list [--json] [--status S,S…]    experiments, newest first (statuses: ${EXPERIMENT_STATUSES.join(', ')})
  show <id> [--json]               its report: arms, rates and intervals vs control, guards, decision log
  stop <id> [--reason TEXT]        end it with control kept: everyone gets the current value again
  targets [--json]                 what may be experimented on: the settings declared mutable and the
                                   plugins' variants a server declared; current and allowed values
  start <target> <value…> --metric ${Object.keys(PRIMARY_METRICS).join('|')}
        [--share 0.2] [--min-users 100] [--max-hours 336] [--reason TEXT]
                                   try 1–3 values against the current one (control), starting at once
  approve|reject <id>              start, or turn down, a proposed experiment
  pause|resume <id>                while paused everyone gets control and nothing is counted
  promote <id> <arm>               make arm <arm> (1 is the first value tried) everyone's value now

Changes are the engine's, in the audit log with the actor "cli"; a running server follows them at
once with REDIS_URL, else within a second. Plugin variants (plugin:<name>/<variant>) are known here
once a server ran the plugin that declares them.

--json (rates, shares, intervals and bounds are fractions: 0.031 is 3.1 percentage points;
times are ISO 8601, null when not yet):
  list     [{ id, status, target, arms: [control, …values], share, metric, users: [per arm],
              guards: { <guard>: bound }, alpha, tau, minUsers, maxHours, proposedBy, reason,
              createdAt, startedAt, endedAt, outcome: { kind, by, reason, arm?, guard?, difference? } | null }]
  show     { experiment: <as in list>, textbookUsersPerArm: number | null,
             arms: [{ arm, value, users, primary: { successes, rate, vsControl: { estimate, low, high } | null },
                      guards: { <guard>: { successes, rate, bound, vsControl: { estimate, low, high } | null } } }],
             log: [{ at, actor, action, details }] }   (newest first)
  targets  [{ key, kind, description, values, current }]`;
