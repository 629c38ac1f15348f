// A plugin that sells through the payments service, as an operator's plugin would (an .mjs folder
// importing omnicore/plugin): /buy sends an invoice for 30 days of "premium" in Stars. And a Telegram
// user buying it in emulator mode: the invoice, pre-checkout, successful_payment, and the payment
// the ledger recorded from it — the real path, with a charge the emulator can refund.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { User } from 'grammy/types';
import type { BotEvent } from '../../src/bot/emulator/events.js';
import { sleep } from '../../src/lib/sleep.js';
import type { Platform } from '../../src/main.js';

export const STARS_SHOP = 'stars-shop';
export const PREMIUM_STARS = 50;

const PLUGIN = `import { definePlugin } from 'omnicore/plugin';

export default definePlugin({
  name: '${STARS_SHOP}',
  version: '1.0.0',
  description: 'Sells premium for Stars',
  platform: '*',
  setup(ctx) {
    ctx.payments.products([
      {
        id: 'premium',
        title: 'Premium',
        description: 'Premium for 30 days',
        prices: { XTR: ${PREMIUM_STARS} },
        grants: { key: 'premium', days: 30 },
      },
    ]);
    ctx.command('buy', 'Buy premium', (c) => ctx.payments.invoice(c.chat.id, 'premium'));
  },
});
`;

/** Writes the plugin into `dir`/stars-shop. */
export function writeStarsShopPlugin(dir: string): void {
  const folder = path.join(dir, STARS_SHOP);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'index.mjs'), PLUGIN);
}

/** `user` sends /buy and pays the invoice; resolves once the ledger holds the payment. */
export async function buyPremium(platform: Platform, user: User): Promise<{ paymentId: number; chargeId: string }> {
  const emulator = platform.emulator;
  if (!emulator) throw new Error('buyPremium needs a platform in emulator mode');
  const since = emulator.lastEventSeq;
  emulator.messages.send(user, '/buy');
  const isInvoice = (event: BotEvent): event is Extract<BotEvent, { type: 'message' | 'edit' }> =>
    event.type === 'message' && event.message.invoice !== undefined;
  const invoice = await emulator.nextEvent(user.id, since, 5000, isInvoice);
  if (!invoice) throw new Error(`no invoice for /buy from ${user.id}`);
  const outcome = await emulator.payments.pay(user, invoice.message);
  if (!outcome.ok) throw new Error(`the payment failed: ${JSON.stringify(outcome)}`);
  for (let tries = 0; tries < 500; tries++) {
    const row = await platform.database.db
      .selectFrom('payments')
      .select(['id', 'status'])
      .where('provider', '=', 'stars')
      .where('provider_id', '=', outcome.chargeId)
      .executeTakeFirst();
    if (row?.status === 'paid') return { paymentId: Number(row.id), chargeId: outcome.chargeId };
    await sleep(10);
  }
  throw new Error(`the ledger never recorded charge ${outcome.chargeId}`);
}
