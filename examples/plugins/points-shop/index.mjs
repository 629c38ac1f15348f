// An example plugin that uses another's service: it sells items for the points that the points
// plugin keeps, through ctx.use('points/wallet'). It lists "points" in dependsOn, so it is set up
// and switched on after points, and switched off before it. It answers in English and German, and
// in Russian where it has the words (the rest in English, as for users of any other language).
// Its /shop is also the built-in shop's command: only one of the two can be on at a time.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

export default definePlugin({
  name: 'points-shop',
  version: '1.0.0',
  description: 'Sells items for points',
  platform: '^0.1.0',
  dependsOn: ['points'],
  configSchema: z.object({
    items: z.record(z.string(), z.number().int().positive()).default({ sticker: 30, badge: 80 }),
  }),
  strings: {
    en: {
      price: '{item}: {price} points',
      noSuchItem: 'There is no such item; /shop lists them.',
      bought: {
        one: 'Here is your {item}. You have {count} point left.',
        other: 'Here is your {item}. You have {count} points left.',
      },
      tooExpensive: 'A {item} costs {price} points; you have {count}.',
    },
    de: {
      price: '{item}: {price} Punkte',
      noSuchItem: 'Das gibt es hier nicht; /shop zeigt, was es gibt.',
      bought: {
        one: 'Bitte schön: {item}. Du hast noch {count} Punkt.',
        other: 'Bitte schön: {item}. Du hast noch {count} Punkte.',
      },
      tooExpensive: '{item} kostet {price} Punkte; du hast {count}.',
    },
    ru: {
      bought: {
        one: 'Вот ваш {item}. Остался {count} балл.',
        few: 'Вот ваш {item}. Осталось {count} балла.',
        many: 'Вот ваш {item}. Осталось {count} баллов.',
        other: 'Вот ваш {item}. Осталось {count} балла.',
      },
    },
  },

  setup(ctx) {
    const wallet = ctx.use('points/wallet');

    ctx.command('shop', 'What points can buy', (c) =>
      c.reply(
        Object.entries(ctx.config.items)
          .map(([item, price]) => c.t('price', { item, price }))
          .join('\n'),
      ),
    );

    ctx.command(
      'buy',
      'Buy an item: /buy sticker',
      async (c) => {
        const item = String(c.match ?? '').trim();
        const price = Object.hasOwn(ctx.config.items, item) ? ctx.config.items[item] : undefined;
        if (price === undefined) return c.reply(c.t('noSuchItem'));
        const { ok, balance } = await wallet.spend(c.from.id, price);
        return c.reply(c.t(ok ? 'bought' : 'tooExpensive', { item, price, count: balance }));
      },
      { sideEffects: true },
    );
  },
});
