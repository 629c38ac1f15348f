// An example OMNICore plugin written in TypeScript: daily tips, one per command, in an order of the
// user's own. Its configuration is typed from its zod schema, its storage values from the types it
// reads back, and the grammY context of its handlers from the platform.
// Build it with `npm run build` (tsc), then copy the folder into PLUGINS_DIR.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

const configSchema = z.object({
  tips: z.array(z.string().min(1).max(500)).min(1).default(['Drink water.', 'Take a walk.', 'Call a friend.']),
});

interface Progress {
  next: number;
  seen: number;
}

export default definePlugin({
  name: 'tips',
  version: '1.0.0',
  description: 'A tip a day',
  platform: '^0.1.0',
  configSchema,
  setup(ctx) {
    const key = (userId: number) => `progress:${userId}`;

    ctx.command('tip', 'Get a tip', async (c) => {
      // A command always has a sender; the types allow messages without one (channel posts).
      if (!c.from) return;
      const { tips } = ctx.config;
      const stored = (await ctx.storage.get(key(c.from.id))) as Progress | undefined;
      const progress = stored ?? { next: 0, seen: 0 };
      const tip = tips[progress.next % tips.length] as string;
      await ctx.storage.set(key(c.from.id), { next: progress.next + 1, seen: progress.seen + 1 } satisfies Progress);
      return c.reply(`Tip ${progress.seen + 1}: ${tip}`);
    });
  },
});
