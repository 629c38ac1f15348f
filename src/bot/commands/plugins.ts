// /plugins (admins): lists the plugins with their state; `/plugins enable <name>` and
// `/plugins disable <name>` switch one at once, as the CLI does.
import type { CoreCommand } from './core-command.js';

export const plugins: CoreCommand = {
  info: { command: 'plugins', description: (t) => t.commands.plugins, adminOnly: true },
  async handle(ctx, { plugins: control }) {
    const [action, name] = (typeof ctx.match === 'string' ? ctx.match : '').trim().split(/\s+/);
    if ((action === 'enable' || action === 'disable') && name) {
      try {
        await control.setEnabled(name, action === 'enable');
        return ctx.reply(`${name}: ${action}d`);
      } catch (error) {
        return ctx.reply(`${name}: ${(error as Error).message}`);
      }
    }
    const lines = control.list().map((plugin) => {
      const state = plugin.refused ? `refused (${plugin.refused.code})` : plugin.active ? 'on' : 'off';
      return `${plugin.active ? '●' : '○'} ${plugin.name} ${plugin.version}: ${state}${plugin.lastError && !plugin.refused ? ` — ${plugin.lastError}` : ''}`;
    });
    return ctx.reply(
      [lines.length > 0 ? lines.join('\n') : 'No plugins installed.', '', 'Usage: /plugins enable|disable <name>'].join(
        '\n',
      ),
    );
  },
};
