// /update (admins): what the install runs against what its source offers, with the changelog;
// `/update apply` starts the same detached updater as the admin panel and answers that it started
// (the bot restarts during the update, so the outcome is for the panel and the alerts to tell).
import { OmniError } from '../../errors.js';
import { matchOf } from './ban.js';
import type { CoreCommand } from './core-command.js';

/** The changelog lines told in a chat; the panel shows them all. */
const CHANGES_SHOWN = 10;

const named = (target: { version: string; commit: string }) => `${target.version} (${target.commit.slice(0, 12)})`;

export const update: CoreCommand = {
  info: { command: 'update', description: (t) => t.commands.update, adminOnly: true },
  async handle(ctx, { updates }) {
    const words = ctx.core.t.update;
    const argument = matchOf(ctx).trim().toLowerCase();
    if (argument !== '' && argument !== 'apply') return ctx.reply(words.usage);
    try {
      if (argument === 'apply') {
        await updates.start({ actor: `telegram:${ctx.from?.id}` });
        return ctx.reply(words.started);
      }
      const check = await updates.check();
      const lines = [words.status(named(check.current), `${named(check.available)}, ${check.available.ref}`)];
      if (check.upToDate) lines.push(words.upToDate);
      else lines.push(words.changes(check.changelog.length), ...check.changelog.slice(0, CHANGES_SHOWN));
      return ctx.reply(lines.join('\n'));
    } catch (error) {
      if (error instanceof OmniError && error.code === 'UPDATE_IN_PROGRESS') return ctx.reply(words.inProgress);
      if (error instanceof OmniError && error.code.startsWith('UPDATE_')) return ctx.reply(words.failed(error.message));
      throw error;
    }
  },
};
