// /stats (admins): a compact usage summary — active users, top commands with their trend,
// unknown commands and user segments — from the same report the admin panel charts.
import type { UsageReport } from '../../analytics/report.js';
import type { CoreCommand } from './core-command.js';

const TOP_COMMANDS = 5;
const TOP_UNKNOWN = 3;

export const stats: CoreCommand = {
  info: { command: 'stats', description: (t) => t.commands.stats, adminOnly: true },
  async handle(ctx, { analytics }) {
    return ctx.reply(formatStats(await analytics.report()));
  },
};

export function formatStats(report: UsageReport): string {
  const { dau, wau, mau } = report.activeUsers;
  const used = report.commands.filter((use) => use.count > 0).slice(0, TOP_COMMANDS);
  const unknown = report.unknownCommands.slice(0, TOP_UNKNOWN);
  const { counts } = report.segments;
  return [
    `Usage, ${report.window.from} to ${report.window.to} (UTC)`,
    `Active users: ${dau} today · ${wau} in 7 days · ${mau} in 30 days`,
    used.length > 0
      ? `Top commands:\n${used.map((use) => `  /${use.command} ${use.count}${trendMark(use.trend)}`).join('\n')}`
      : 'Top commands: none yet',
    unknown.length > 0
      ? `Unknown commands: ${unknown.map((entry) => `/${entry.command} (${plural(entry.users, 'user')})`).join(', ')}`
      : 'Unknown commands: none',
    `Users: ${counts.new} new · ${counts.active} active · ${counts.dormant} dormant · ${counts.churned} churned`,
  ].join('\n');
}

function trendMark(trend: number | null): string {
  if (trend === null) return ' (new)';
  const percent = Math.round(trend * 100);
  if (percent === 0) return ' →';
  return percent > 0 ? ` ↑${percent}%` : ` ↓${-percent}%`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
