// The broadcasts plugin's configuration: how fast messages go out, for every instance together.
import { z } from 'zod';

export const broadcastsConfig = z.object({
  ratePerSecond: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(25)
    .describe(
      'Messages per second for all instances together; Telegram allows about 30, and the bot’s own replies need some room',
    ),
});

export type BroadcastsConfig = z.output<typeof broadcastsConfig>;
