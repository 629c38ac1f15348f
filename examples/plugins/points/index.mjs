// An example plugin that provides a service: points per user, kept by this plugin alone. Plugins
// that list "points" in their dependsOn spend and credit them through ctx.use('points/wallet'), as
// the points-shop next to it does. It answers in the user's language (its `strings`). Copy both folders
// into PLUGINS_DIR, then enable points and points-shop.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

export default definePlugin({
  name: 'points',
  version: '1.0.0',
  description: 'Points per user, for other plugins to spend',
  platform: '^0.1.0',
  configSchema: z.object({
    welcome: z.number().int().min(0).default(100),
  }),
  strings: {
    en: { balance: { one: 'You have {count} point.', other: 'You have {count} points.' } },
    de: { balance: { one: 'Du hast {count} Punkt.', other: 'Du hast {count} Punkte.' } },
    ru: {
      balance: {
        one: 'У вас {count} балл.',
        few: 'У вас {count} балла.',
        many: 'У вас {count} баллов.',
        other: 'У вас {count} балла.',
      },
    },
  },

  setup(ctx) {
    const key = (userId) => `balance:${userId}`;
    const balance = async (userId) => (await ctx.storage.get(key(userId))) ?? ctx.config.welcome;

    // The wallet checks and changes a balance in one step per user in this process, so that two
    // purchases at once cannot both spend the same points.
    const pending = new Map();
    const oneAtATime = (userId, work) => {
      const next = (pending.get(userId) ?? Promise.resolve()).then(work);
      const settled = next.catch(() => {});
      pending.set(userId, settled);
      settled.then(() => pending.get(userId) === settled && pending.delete(userId));
      return next;
    };
    const amountOf = (amount) => {
      if (!Number.isSafeInteger(amount) || amount <= 0) throw new RangeError(`not a number of points: ${amount}`);
      return amount;
    };

    ctx.provide('wallet', {
      balance,
      /** Takes `amount` points if the user has them; the balance after. */
      spend: (userId, amount) =>
        oneAtATime(userId, async () => {
          const before = await balance(userId);
          if (before < amountOf(amount)) return { ok: false, balance: before };
          await ctx.storage.set(key(userId), before - amount);
          return { ok: true, balance: before - amount };
        }),
      credit: (userId, amount) =>
        oneAtATime(userId, async () => {
          const after = (await balance(userId)) + amountOf(amount);
          await ctx.storage.set(key(userId), after);
          return after;
        }),
    });

    ctx.command('points', 'How many points you have', async (c) =>
      c.reply(c.t('balance', { count: await balance(c.from.id) })),
    );
  },
});
