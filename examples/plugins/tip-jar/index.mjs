// An example OMNICore plugin: a tip jar in Telegram Stars. /tip sends an invoice in Stars (currency
// XTR, no provider token, one price); the pre-checkout is accepted only from the user the invoice
// was made for; a paid tip is thanked and kept, and /untip gives the user's last tip back.
// Its test, test/testing/stars-tip-jar.test.ts, is the testing example in docs/PLUGINS.md.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

export default definePlugin({
  name: 'tip-jar',
  version: '1.0.0',
  description: 'Takes tips in Telegram Stars',
  platform: '^0.1.0',
  configSchema: z.object({ stars: z.number().int().min(1).max(10_000).default(50) }),

  setup(ctx) {
    ctx.command('tip', 'Leave a tip in Stars', (c) =>
      c.replyWithInvoice('A tip', `${ctx.config.stars} Stars for the team`, `tip:${c.from.id}`, 'XTR', [
        { label: 'Tip', amount: ctx.config.stars },
      ]),
    );

    ctx.composer.on('pre_checkout_query', (c) =>
      c.preCheckoutQuery.invoice_payload === `tip:${c.from.id}`
        ? c.answerPreCheckoutQuery(true)
        : c.answerPreCheckoutQuery(false, { error_message: 'This tip is for someone else to leave.' }),
    );

    ctx.composer.on('message:successful_payment', async (c) => {
      const { total_amount: stars, telegram_payment_charge_id: chargeId } = c.message.successful_payment;
      await ctx.storage.set(`last:${c.from.id}`, { chargeId, stars });
      await c.reply(`Thank you for ${stars} ⭐!`);
    });

    ctx.command('untip', 'Take back your last tip', async (c) => {
      const last = await ctx.storage.get(`last:${c.from.id}`);
      if (!last) return c.reply('You have no tip to take back.');
      await c.api.refundStarPayment(c.from.id, last.chargeId);
      await ctx.storage.delete(`last:${c.from.id}`);
      return c.reply(`${last.stars} ⭐ are back in your balance.`);
    });
  },
});
