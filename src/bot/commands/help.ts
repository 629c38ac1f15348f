// /help: every command this user may run, core and plugins alike, with its description.
import { describe } from '../command-registry.js';
import type { CoreCommand } from './core-command.js';

export const help: CoreCommand = {
  info: { command: 'help', description: (t) => t.commands.help, adminOnly: false },
  handle(ctx, { registry }) {
    const { t, isAdmin } = ctx.core;
    const line = (info: Parameters<typeof describe>[0]) => `/${info.command} — ${describe(info, t)}`;
    const all = registry.list({ includeAdmin: isAdmin });
    const lines = [t.helpHeader, ...all.filter((info) => !info.adminOnly).map(line)];
    const adminCommands = all.filter((info) => info.adminOnly);
    if (adminCommands.length > 0) lines.push('', t.helpAdminHeader, ...adminCommands.map(line));
    return ctx.reply(lines.join('\n'));
  },
};
