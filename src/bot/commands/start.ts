// /start: greets the user by name and registers them in `users` right away. The greeting is the
// `bot.welcome` setting's (classic, or guided: with the first commands to try), which an experiment
// may vary per user.
import { commandLine } from '../../core/command-registry.js';
import type { CoreCommand } from './core-command.js';

/** Commands the guided welcome lists: enough to start with, not the whole /help. */
const GUIDED_COMMANDS = 4;

export const start: CoreCommand = {
  info: { command: 'start', description: (t) => t.commands.start, adminOnly: false },
  async handle(ctx, { activity, registry }) {
    if (ctx.from) await activity.registerNow(ctx.from);
    const { t } = ctx.core;
    const name = ctx.from?.first_name ?? '';
    if (ctx.core.experiments.setting('bot.welcome') === 'classic')
      return ctx.reply(t.greeting(name, ctx.me.first_name));
    const commands = registry.list({ includeAdmin: false });
    const first = commands
      .filter((info) => info.command !== 'start' && info.command !== 'help')
      .slice(0, GUIDED_COMMANDS);
    const help = commands.filter((info) => info.command === 'help');
    const lines = [...first, ...help].map((info) => commandLine(info, t));
    return ctx.reply([t.guidedGreeting(name, ctx.me.first_name), ...lines].join('\n'));
  },
};
