// Every analysis in one object: what the admin panel's Analytics page charts, what /stats
// summarises and what the AI Suggestions plugin reads. Plain JSON (numbers, strings, arrays).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type ActiveUsers, activeUsers } from './active-users.js';
import { type ActivityHeatmap, activityHeatmap } from './activity-heatmap.js';
import { type CommandUse, commandUsage, type KnownCommand } from './commands.js';
import { type FailingCommand, failingCommands } from './failing-commands.js';
import { type PluginUse, pluginUsage } from './plugin-usage.js';
import { type RetentionCohort, retentionCohorts } from './retention.js';
import { type Segment, type UserEngagement, userSegments } from './segments.js';
import { type CommandSequence, commandSequences } from './sequences.js';
import { type UnknownCommand, unknownCommands } from './unknown-commands.js';
import { type AnalysisWindow, isoDay, windowStart } from './window.js';

export interface UsageReportOptions {
  /** UTC days most analyses cover (30). */
  days?: number;
  /** Retention cohorts shown (8 weeks). */
  weeks?: number;
  /** The bot's commands now, so that unused ones show with zero uses. */
  known?: readonly KnownCommand[];
  /** How many of the most engaged users to list (20). */
  topUsers?: number;
}

export interface UsageReport {
  /** ISO timestamp of `now`. */
  generatedAt: string;
  /** The UTC days covered, "2026-10-27" … "2026-11-25". */
  window: { from: string; to: string; days: number };
  /** Line chart: daily[].day × daily[].users; dau/wau/mau as figures. */
  activeUsers: ActiveUsers;
  /** Table or heatmap: one row per cohort week, retained[k] as a share. */
  retention: RetentionCohort[];
  /** Bar chart: count per command, with previousCount and trend for the arrow. */
  commands: CommandUse[];
  unknownCommands: UnknownCommand[];
  failingCommands: FailingCommand[];
  sequences: CommandSequence[];
  /** Heatmap: events[weekday 0=Mon][hour UTC]; bar chart: usersByHour. */
  activity: ActivityHeatmap;
  /** Bar chart: events per plugin, with errorRate and avgLatencyMs. */
  plugins: PluginUse[];
  /** Doughnut: counts per segment; table: the most engaged users. */
  segments: { counts: Record<Segment, number>; newlyDormant: number; topUsers: UserEngagement[] };
}

export async function usageReport(
  db: Kysely<Database>,
  now: number,
  options: UsageReportOptions = {},
): Promise<UsageReport> {
  const window: AnalysisWindow = { now, days: options.days ?? 30 };
  const [active, retention, commands, unknown, failing, sequences, activity, plugins, segments] = await Promise.all([
    activeUsers(db, window),
    retentionCohorts(db, { now, weeks: options.weeks ?? 8 }),
    commandUsage(db, window, options.known),
    unknownCommands(
      db,
      window,
      (options.known ?? []).map((known) => known.command),
    ),
    failingCommands(db, window),
    commandSequences(db, window),
    activityHeatmap(db, window),
    pluginUsage(db, window),
    userSegments(db, window),
  ]);
  return {
    generatedAt: new Date(now).toISOString(),
    window: { from: isoDay(windowStart(window)), to: isoDay(now), days: window.days },
    activeUsers: active,
    retention,
    commands,
    unknownCommands: unknown,
    failingCommands: failing,
    sequences,
    activity,
    plugins,
    segments: {
      counts: segments.counts,
      newlyDormant: segments.newlyDormant,
      topUsers: segments.users.slice(0, options.topUsers ?? 20),
    },
  };
}

/** Reports on the live database, knowing the bot's current commands: what the bot, the plugins
 *  and the admin panel are handed. */
export interface UsageAnalytics {
  /** The report as of `now`; without it, the present, reused for `maxAgeMs` so that the panel,
   *  /stats and plugins asking at about the same time cost one run of the analyses. */
  report(now?: number): Promise<UsageReport>;
}

export function createUsageAnalytics(
  db: Kysely<Database>,
  known: () => readonly KnownCommand[],
  { maxAgeMs = 60_000 }: { maxAgeMs?: number } = {},
): UsageAnalytics {
  let cached: { at: number; report: Promise<UsageReport> } | undefined;
  const run = (now: number) => usageReport(db, now, { known: known() });
  return {
    report(now?: number) {
      if (now !== undefined) return run(now);
      const at = Date.now();
      if (!cached || at - cached.at > maxAgeMs) {
        const report = run(at);
        cached = { at, report };
        // A failed run is not kept: the next caller tries again.
        report.catch(() => {
          if (cached?.report === report) cached = undefined;
        });
      }
      return cached.report;
    },
  };
}
