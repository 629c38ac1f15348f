// /status (admins): uptime, version, mode, database kind and the inbox backlog.
import type { CoreCommand } from './core-command.js';

export const status: CoreCommand = {
  info: { command: 'status', description: (t) => t.commands.status, adminOnly: true },
  async handle(ctx, { status: info }) {
    const backlog = await info.backlog();
    return ctx.reply(
      [
        `OMNICore ${info.version}`,
        `Uptime: ${formatDuration(Date.now() - info.startedAt)}`,
        `Mode: ${info.mode}`,
        `Database: ${info.database}`,
        `Inbox backlog: ${backlog}`,
      ].join('\n'),
    );
  },
};

export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const parts: [number, string][] = [
    [Math.floor(seconds / 86400), 'd'],
    [Math.floor((seconds % 86400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const shown = parts.filter(([value], index) => value > 0 || index === parts.length - 1);
  return shown.map(([value, unit]) => `${value}${unit}`).join(' ');
}
