// An example OMNICore plugin: per-user notes. It shows every part of the plugin API — a validated
// config, commands, storage, a schedule, an HTTP route, an event listener, metrics and the
// lifecycle hooks. Copy the folder into PLUGINS_DIR, then `npx omnicore plugins enable notes`.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

export default definePlugin({
  name: 'notes',
  version: '1.0.0',
  description: 'Keeps short notes for each user',
  platform: '^0.1.0',
  configSchema: z.object({
    maxNotes: z.number().int().min(1).max(500).default(20),
    maxLength: z.number().int().min(10).max(4000).default(500),
  }),

  setup(ctx) {
    const saved = ctx.metrics.counter('saved_total', 'Notes saved');
    const stored = ctx.metrics.gauge('stored', 'Users with notes, counted by the hourly job');
    const key = (userId) => `user:${userId}`;

    ctx.command('note', 'Save a note: /note buy milk', async (c) => {
      const text = String(c.match ?? '').trim();
      if (!text) return c.reply('Write the note after the command, for example: /note buy milk');
      if (text.length > ctx.config.maxLength)
        return c.reply(`Notes can be ${ctx.config.maxLength} characters at most.`);
      const notes = (await ctx.storage.get(key(c.from.id))) ?? [];
      if (notes.length >= ctx.config.maxNotes)
        return c.reply(`You have ${notes.length} notes already; /forget some first.`);
      await ctx.storage.set(key(c.from.id), [...notes, text]);
      saved.inc();
      return c.reply(`Saved. You have ${notes.length + 1} note(s).`);
    });

    ctx.command('notes', 'List your notes', async (c) => {
      const notes = (await ctx.storage.get(key(c.from.id))) ?? [];
      return c.reply(notes.length ? notes.map((note, i) => `${i + 1}. ${note}`).join('\n') : 'No notes yet.');
    });

    ctx.command('forget', 'Forget all your notes', async (c) => {
      await ctx.storage.delete(key(c.from.id));
      return c.reply('All your notes are gone.');
    });

    ctx.schedule('0 * * * *', async () => {
      stored.set((await ctx.storage.keys('user:')).length);
    });

    ctx.routes.get('/users', async () => ({ users: (await ctx.storage.keys('user:')).length }));

    ctx.on('userSeen', ({ user }) => ctx.log.debug({ userId: user.id }, 'user seen'));
    ctx.onEnable(() => ctx.log.info('notes is on'));
    ctx.onDisable(() => ctx.log.info('notes is off'));
    ctx.onConfigChange((config) => ctx.log.info({ maxNotes: config.maxNotes }, 'new limits'));
  },
});
