// An example OMNICore plugin that sells access: /protip is only for holders of the `pro-tips`
// entitlement (`requires`), which /buytips sells for Stars as a 30-day pass. The platform checks the
// invoice at pre-checkout, records the payment once and grants the pass (a second one extends it);
// the plugin thanks the buyer with the pass's end, and counts passes sold on `paymentSucceeded`.
// Its test, test/testing/pro-tips.test.ts, is the selling example in docs/PLUGINS.md.
import { definePlugin } from 'omnicore/plugin';
import { z } from 'zod';

const TIPS = [
  'Name things for what they do.',
  'Delete the code nobody calls.',
  'Write the test that would have caught the bug.',
];

export default definePlugin({
  name: 'pro-tips',
  version: '1.0.0',
  description: 'Pro tips for holders of a pass bought with Stars',
  platform: '^0.1.0',
  configSchema: z.object({ stars: z.number().int().min(1).max(10_000).default(25) }),

  setup(ctx) {
    const offer = () =>
      ctx.payments.products([
        {
          id: 'pass',
          title: 'Pro tips pass',
          description: '30 days of /protip',
          prices: { XTR: ctx.config.stars },
          grants: { key: 'pro-tips', days: 30 },
        },
      ]);
    offer();
    ctx.onEnable(offer);
    ctx.onConfigChange(offer);

    ctx.command('buytips', 'Buy a 30-day pass for /protip', (c) => ctx.payments.invoice(c.chat.id, 'pass'), {
      sideEffects: true,
    });

    ctx.command(
      'protip',
      'A pro tip (with a pass)',
      async (c) => {
        const seen = await ctx.storage.update(`seen:${c.from.id}`, (count) => (count ?? 0) + 1);
        return c.reply(TIPS[(seen - 1) % TIPS.length]);
      },
      { requires: 'pro-tips' },
    );

    // The platform has recorded the payment and granted the pass when this runs.
    ctx.composer.on('message:successful_payment', async (c, next) => {
      const [latest] = await ctx.payments.history(c.from.id);
      if (latest?.providerId !== c.message.successful_payment.telegram_payment_charge_id) return next();
      const pass = (await ctx.entitlements.list(c.from.id)).find((held) => held.key === 'pro-tips');
      const until = new Date(pass.until).toISOString().slice(0, 10);
      return c.reply(`Thank you! Your pass runs until ${until}. Try /protip.`);
    });

    // Every payment the platform credits, however it was paid; events have no chat to answer in.
    const sold = ctx.metrics.counter('passes_sold_total', 'Pro tips passes sold');
    ctx.on('paymentSucceeded', ({ payment }) => {
      if (payment.product === 'pro-tips/pass') sold.inc();
    });
  },
});
