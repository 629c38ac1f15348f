// An example plugin that uses another's service: it sells items for the points that the points
// plugin keeps, through ctx.use('points/wallet'). It lists "points" in dependsOn, so it is set up
// and switched on after points, and switched off before it.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

export default definePlugin({
  name: 'shop',
  version: '1.0.0',
  description: 'Sells items for points',
  platform: '^0.1.0',
  dependsOn: ['points'],
  configSchema: z.object({
    items: z.record(z.string(), z.number().int().positive()).default({ sticker: 30, badge: 80 }),
  }),

  setup(ctx) {
    const wallet = ctx.use('points/wallet');

    ctx.command('shop', 'What points can buy', (c) =>
      c.reply(
        Object.entries(ctx.config.items)
          .map(([item, price]) => `${item}: ${price} points`)
          .join('\n'),
      ),
    );

    ctx.command(
      'buy',
      'Buy an item: /buy sticker',
      async (c) => {
        const item = String(c.match ?? '').trim();
        const price = Object.hasOwn(ctx.config.items, item) ? ctx.config.items[item] : undefined;
        if (price === undefined) return c.reply('There is no such item; /shop lists them.');
        const { ok, balance } = await wallet.spend(c.from.id, price);
        return c.reply(
          ok
            ? `Here is your ${item}. You have ${balance} points left.`
            : `A ${item} costs ${price} points; you have ${balance}.`,
        );
      },
      { sideEffects: true },
    );
  },
});
