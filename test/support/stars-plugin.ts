// A plugin that sells in Telegram Stars through ctx.payments, written as an operator's plugin would
// be (an .mjs folder importing omnicore/plugin): a 30-day "premium" whose price and presence come
// from its config (so a test can reprice or withdraw it while an invoice is out), a monthly Stars
// subscription sold by link, a command only premium users may run, and an invoice it makes itself
// with a payload of its own (answered by nobody). The tests copy it into a PLUGINS_DIR (inside the
// repository for an in-process platform, where its import of omnicore/plugin resolves).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const INDEX = `import { z } from 'zod';
import { definePlugin } from 'omnicore/plugin';

export default definePlugin({
  name: 'premium',
  version: '1.0.0',
  description: 'Sells premium for Stars',
  platform: '*',
  configSchema: z.object({ price: z.number().int().min(1).default(50), offered: z.boolean().default(true) }),
  setup(ctx) {
    const declare = (config) =>
      ctx.payments.products([
        ...(config.offered
          ? [{ id: 'premium', title: 'Premium', description: '30 days of premium', prices: { XTR: config.price }, grants: { key: 'premium', days: 30 } }]
          : []),
        { id: 'monthly', title: 'Monthly', description: 'Premium, renewed every 30 days', prices: { XTR: 100 }, kind: 'subscription', grants: { key: 'premium', days: 30 } },
        { id: 'donation', title: 'Donation', description: 'A donation in dollars', prices: { USD: 499 } },
      ]);
    declare(ctx.config);
    ctx.onConfigChange(declare);
    ctx.command('buy', 'Buy 30 days of premium', (c) => ctx.payments.invoice(c.chat.id, 'premium'));
    ctx.command('donate', 'Donate in dollars', (c) => ctx.payments.invoice(c.chat.id, 'donation', { currency: 'USD' }));
    ctx.command('subscribe', 'Premium every month', async (c) => c.reply(await ctx.payments.invoiceLink('monthly')));
    ctx.command('secret', 'For premium users', (c) => c.reply('the secret'), { requires: 'premium' });
    ctx.command('raw', 'An invoice of its own', (c) =>
      c.replyWithInvoice('Raw', 'Made without ctx.payments', 'raw-1', 'XTR', [{ label: 'Raw', amount: 5 }]),
    );
    ctx.composer.on('message:successful_payment', (c) =>
      c.reply('Thank you for ' + c.message.successful_payment.total_amount + ' ' + c.message.successful_payment.currency),
    );
  },
});
`;

/** Writes the premium plugin into `pluginsDir`/premium. */
export function writeStarsPlugin(pluginsDir: string): void {
  mkdirSync(path.join(pluginsDir, 'premium'), { recursive: true });
  writeFileSync(path.join(pluginsDir, 'premium', 'index.mjs'), INDEX);
}

/** A fresh plugins folder under test-results/ holding the premium plugin; the caller removes it. */
export function starsPluginsDir(name: string): string {
  const dir = fileURLToPath(new URL(`../../test-results/stars-${name}-${process.pid}/`, import.meta.url));
  rmSync(dir, { recursive: true, force: true });
  writeStarsPlugin(dir);
  return dir;
}
