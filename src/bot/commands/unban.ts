// /unban <user id> (admins): lifts a ban at once, on every instance within the ban poll interval.
import { matchOf } from './ban.js';
import type { CoreCommand } from './core-command.js';

export const unban: CoreCommand = {
  info: { command: 'unban', description: (t) => t.commands.unban, adminOnly: true },
  async handle(ctx, { bans }) {
    const id = matchOf(ctx).trim();
    if (!/^\d{1,15}$/.test(id)) return ctx.reply(ctx.core.t.unbanUsage);
    const userId = Number(id);
    const lifted = await bans.unban(userId, `telegram:${ctx.from?.id}`);
    return ctx.reply(lifted ? ctx.core.t.unbanned(userId) : ctx.core.t.notBanned(userId));
  },
};
