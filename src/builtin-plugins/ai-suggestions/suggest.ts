// Turns a usage report into feature suggestions, each with the numbers behind it and a confidence
// (0–1). Every rule is a small function of the report; thresholds keep noise out.
import { createHash } from 'node:crypto';
import type { UsageReport } from '../../plugins/api.js';

export type SuggestionKind =
  | 'unknown-command'
  | 'shortcut'
  | 'plugin-errors'
  | 'unused-command'
  | 'broadcast-hour'
  | 'dormant-users'
  | 'welcome-dropoff';

export interface Suggestion {
  /** Short and stable for the same kind and subject: feedback on it outlives regeneration. */
  id: string;
  kind: SuggestionKind;
  /** What it is about: a command, a pair of commands, a plugin, an hour, a segment. */
  subject: string;
  title: string;
  evidence: string;
  confidence: number;
}

export interface SuggestionThresholds {
  /** Users who must have tried an unknown command, or taken a sequence. */
  minUsers: number;
  /** Events a plugin must have handled before its error rate counts. */
  minPluginEvents: number;
  /** Error rate (0–1) from which a plugin is flagged. */
  maxErrorRate: number;
  /** Monthly users needed before unused commands and broadcast hours mean anything. */
  minMonthlyUsers: number;
}

export const DEFAULT_THRESHOLDS: SuggestionThresholds = {
  minUsers: 3,
  minPluginEvents: 20,
  maxErrorRate: 0.1,
  minMonthlyUsers: 10,
};

/** What this plugin has seen over time, beyond one report: when each command first showed up. */
export interface Observations {
  now: number;
  /** Command → when a report first listed it (ms since the epoch). */
  commandSince: Readonly<Record<string, number>>;
}

type Rule = (report: UsageReport, limits: SuggestionThresholds, seen: Observations) => Omit<Suggestion, 'id'>[];

const DAY_MS = 24 * 60 * 60 * 1000;

const percent = (share: number): string => `${Math.round(share * 100)}%`;
const users = (count: number): string => `${count} user${count === 1 ? '' : 's'}`;
/** Confidence that grows with evidence: half-way at `half`, approaching `ceiling`. */
const saturating = (count: number, half: number, ceiling = 0.95): number => ceiling * (count / (count + half));

/**
 * Left out once something handles the command (a plugin added it since), and when it is a typo of
 * a command that exists: "did you mean" already leads those users there.
 */
const unknownCommands: Rule = (report, limits) =>
  report.unknownCommands
    .filter(
      (entry) =>
        entry.users >= limits.minUsers &&
        entry.nearCommand === null &&
        !report.commands.some((use) => use.command === entry.command),
    )
    .map((entry) => ({
      kind: 'unknown-command',
      subject: entry.command,
      title: `Add a /${entry.command} command`,
      evidence: `${users(entry.users)} typed /${entry.command} (${entry.count} times in ${report.window.days} days); nothing handles it.`,
      confidence: saturating(entry.users, 10),
    }));

const shortcuts: Rule = (report, limits) =>
  report.sequences
    .filter((step) => step.users >= limits.minUsers && step.share >= 0.5)
    .map((step) => ({
      kind: 'shortcut',
      subject: `${step.from}>${step.to}`,
      title: `Offer /${step.to} right after /${step.from}`,
      evidence: `${users(step.users)} ran /${step.to} right after /${step.from} (${step.count} times, ${percent(step.share)} of what follows /${step.from}); a button would save them a step.`,
      confidence: step.share * saturating(step.users, 10, 1),
    }));

const pluginErrors: Rule = (report, limits) =>
  report.plugins
    .filter((plugin) => plugin.events >= limits.minPluginEvents && plugin.errorRate >= limits.maxErrorRate)
    .map((plugin) => ({
      kind: 'plugin-errors',
      subject: plugin.plugin,
      title: `Fix the ${plugin.plugin} plugin`,
      evidence: `${plugin.errors} of its ${plugin.events} handled updates failed (${percent(plugin.errorRate)}) for ${users(plugin.users)}.`,
      confidence: Math.min(0.95, 0.5 + plugin.errorRate / 2) * saturating(plugin.events, 20, 1),
    }));

/** Only for commands this plugin has known for the whole span it speaks of. */
const unusedCommands: Rule = (report, limits, seen) =>
  report.activeUsers.mau < limits.minMonthlyUsers
    ? []
    : report.commands
        .filter((use) => use.count === 0 && use.previousCount === 0 && use.plugin !== 'core')
        .filter((use) => seen.now - (seen.commandSince[use.command] ?? seen.now) >= report.window.days * 2 * DAY_MS)
        .map((use) => ({
          kind: 'unused-command',
          subject: use.command,
          title: `Rethink /${use.command}`,
          evidence: `Nobody ran /${use.command}${use.plugin ? ` (${use.plugin})` : ''} in ${report.window.days * 2} days, while ${users(report.activeUsers.mau)} were active this month; promote it or remove it.`,
          confidence: saturating(report.activeUsers.mau, 50, 0.8),
        }));

const broadcastHour: Rule = (report, limits) => {
  const best = report.activity.bestHour;
  const monthly = report.activeUsers.mau;
  if (!best || monthly < limits.minMonthlyUsers) return [];
  const hour = `${String(best.hour).padStart(2, '0')}:00`;
  return [
    {
      kind: 'broadcast-hour',
      subject: String(best.hour),
      title: `Send broadcasts at ${hour} UTC`,
      evidence: `${users(best.users)} of ${monthly} monthly users (${percent(best.users / monthly)}) were active between ${hour} and ${String(best.hour).padStart(2, '0')}:59 UTC, more than at any other hour.`,
      confidence: Math.min(0.9, 0.3 + best.users / monthly),
    },
  ];
};

const dormantUsers: Rule = (report, limits) => {
  const { counts, newlyDormant } = report.segments;
  const recent = counts.active + counts.new + newlyDormant;
  if (newlyDormant < limits.minUsers || recent === 0 || newlyDormant / recent < 0.2) return [];
  return [
    {
      kind: 'dormant-users',
      subject: 'dormant',
      title: `Win back ${users(newlyDormant)} who went quiet`,
      evidence: `${users(newlyDormant)} were last seen 7–14 days ago, against ${counts.active + counts.new} still active (${percent(newlyDormant / recent)} going dormant); ${counts.dormant} dormant in all.`,
      confidence: Math.min(0.9, newlyDormant / recent + 0.3),
    },
  ];
};

/** Sequences count the commands run right after /start; what is left of /start's users stopped there. */
const welcomeDropoff: Rule = (report, limits) => {
  const started = report.commands.find((use) => use.command === 'start');
  if (!started || started.users < limits.minMonthlyUsers) return [];
  const onward = report.sequences.filter((step) => step.from === 'start').reduce((sum, step) => sum + step.users, 0);
  const stopped = Math.max(0, 1 - onward / started.users);
  if (stopped < 0.5) return [];
  return [
    {
      kind: 'welcome-dropoff',
      subject: 'start',
      title: 'Try the guided welcome on new users',
      evidence: `${percent(stopped)} of the ${users(started.users)} who sent /start ran no command right after it; an experiment shows whether a welcome that lists commands to try keeps more of them.`,
      confidence: Math.min(0.9, stopped * saturating(started.users, 20, 1)),
    },
  ];
};

const RULES: readonly Rule[] = [
  unknownCommands,
  shortcuts,
  pluginErrors,
  unusedCommands,
  broadcastHour,
  dormantUsers,
  welcomeDropoff,
];

/** Every suggestion the report supports, unranked. */
export function suggestFrom(
  report: UsageReport,
  limits: SuggestionThresholds = DEFAULT_THRESHOLDS,
  seen: Observations = { now: Date.parse(report.generatedAt), commandSince: {} },
): Suggestion[] {
  return RULES.flatMap((rule) => rule(report, limits, seen)).map((found) => ({
    ...found,
    id: suggestionId(found.kind, found.subject),
    confidence: Math.round(found.confidence * 100) / 100,
  }));
}

export function suggestionId(kind: SuggestionKind, subject: string): string {
  return createHash('sha256').update(`${kind}\n${subject}`).digest('base64url').slice(0, 12);
}
