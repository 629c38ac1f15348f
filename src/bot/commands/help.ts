// /help: every command this user may run, core and plugins alike, with its description.
import { commandListing } from '../../core/command-registry.js';
import type { CoreCommand } from './core-command.js';

export const help: CoreCommand = {
  info: { command: 'help', description: (t) => t.commands.help, adminOnly: false },
  handle(ctx, { registry }) {
    return ctx.reply(`${ctx.core.t.helpHeader}\n${commandListing(registry, ctx.core.t, ctx.core.isAdmin)}`);
  },
};
