// /start: greets the user by name and registers them in `users` right away.
import type { CoreCommand } from './core-command.js';

export const start: CoreCommand = {
  info: { command: 'start', description: (t) => t.commands.start, adminOnly: false },
  async handle(ctx, { activity }) {
    if (ctx.from) await activity.registerNow(ctx.from);
    return ctx.reply(ctx.core.t.greeting(ctx.from?.first_name ?? '', ctx.me.first_name));
  },
};
