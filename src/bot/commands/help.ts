// /help: every command this user may run, core and plugins alike, with its description.
import { type CommandRegistry, describe } from '../command-registry.js';
import type { Messages } from '../i18n.js';
import type { CoreCommand } from './core-command.js';

export const help: CoreCommand = {
  info: { command: 'help', description: (t) => t.commands.help, adminOnly: false },
  handle(ctx, { registry }) {
    return ctx.reply(`${ctx.core.t.helpHeader}\n${commandListing(registry, ctx.core.t, ctx.core.isAdmin)}`);
  },
};

/** One "/command — description" a line; for admins, the admin commands follow under their heading. */
export function commandListing(registry: CommandRegistry, t: Messages, isAdmin: boolean): string {
  const line = (info: Parameters<typeof describe>[0]) => `/${info.command} — ${describe(info, t)}`;
  const all = registry.list({ includeAdmin: isAdmin });
  const lines = all.filter((info) => !info.adminOnly).map(line);
  const adminCommands = all.filter((info) => info.adminOnly);
  if (adminCommands.length > 0) lines.push('', t.helpAdminHeader, ...adminCommands.map(line));
  return lines.join('\n');
}
