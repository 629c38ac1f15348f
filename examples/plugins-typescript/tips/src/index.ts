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
      // One atomic step, so that two taps at once cannot both get the same tip.
      const progress = await ctx.storage.update<Progress>(key(c.from.id), (stored) => ({
        next: (stored?.next ?? 0) + 1,
        seen: (stored?.seen ?? 0) + 1,
      }));
      const tip = tips[(progress.next - 1) % tips.length] as string;
      return c.reply(`Tip ${progress.seen}: ${tip}`);
    });
  },
});
