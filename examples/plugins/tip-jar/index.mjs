// An example OMNICore plugin: a tip jar in Telegram Stars. It declares one product, a tip at the
// price its configuration says; /tip sends the invoice for it, the platform takes the payment (the
// price is checked at pre-checkout, the charge recorded once), the plugin thanks the user, and
// /untip gives the user's last tip back.
// Its test, test/testing/stars-tip-jar.test.ts, is the testing example in docs/PLUGINS.md.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

export default definePlugin({
  name: 'tip-jar',
  version: '2.0.0',
  description: 'Takes tips in Telegram Stars',
  platform: '^0.1.0',
  configSchema: z.object({ stars: z.number().int().min(1).max(10_000).default(50) }),

  setup(ctx) {
    const offer = () =>
      ctx.payments.products([
        {
          id: 'tip',
          title: 'A tip',
          description: `${ctx.config.stars} Stars for the team`,
          prices: { XTR: ctx.config.stars },
        },
      ]);
    offer();
    ctx.onEnable(offer);
    ctx.onConfigChange(offer);

    ctx.command('tip', 'Leave a tip in Stars', (c) => ctx.payments.invoice(c.chat.id, 'tip'), { sideEffects: true });

    // The platform has recorded the payment when this runs; a payment for another plugin is theirs.
    ctx.composer.on('message:successful_payment', async (c, next) => {
      const { total_amount: stars, telegram_payment_charge_id: chargeId } = c.message.successful_payment;
      const [latest] = await ctx.payments.history(c.from.id);
      if (latest?.providerId !== chargeId) return next();
      await c.reply(`Thank you for ${stars} ⭐!`);
    });

    ctx.command(
      'untip',
      'Take back your last tip',
      async (c) => {
        const last = (await ctx.payments.history(c.from.id)).find((payment) => payment.status === 'paid');
        if (!last) return c.reply('You have no tip to take back.');
        await ctx.payments.refund(last.id);
        return c.reply(`${last.amount} ⭐ are back in your balance.`);
      },
      { sideEffects: true },
    );
  },
});
