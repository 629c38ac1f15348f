// Reconciliation reads the bot's Stars transactions (getStarTransactions, from the emulator over
// HTTP with grammY's Api) and applies them oldest first on both databases: a payment and its refund,
// both missed by the bot, end as a refunded payment with nothing granted, however Telegram orders them.
import type { User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramPaymentsApi } from '../../src/bot/telegram-payments-api.js';
import { EventBus } from '../../src/core/events.js';
import { Payments } from '../../src/payments/payments.js';
import { encodeOffer } from '../../src/payments/products.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';
import { type EmulatorServer, startEmulatorServer } from '../support/emulator-server.js';

const USER: User = { id: 7301, is_bot: false, first_name: 'Grace' };
const PAYLOAD = encodeOffer({ plugin: 'shop', product: 'pass', currency: 'XTR', amount: 40, grant: { key: 'pass' } });

describe.each(DATABASE_KINDS)('replaying Stars transactions on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  let server: EmulatorServer;

  beforeEach(async () => {
    server = await startEmulatorServer();
    server.emulator.sendUserMessage(USER, '/start');
  });

  afterEach(async () => {
    await server.close();
  });

  /** The user pays an invoice in Stars; the bot (this test) accepts the pre-checkout and ignores the rest. */
  async function payment(): Promise<string> {
    await server.api.sendInvoice(USER.id, 'Pass', 'A pass', PAYLOAD, 'XTR', [{ label: 'Pass', amount: 40 }], {
      provider_token: '',
    });
    const invoice = server.emulator.transcript(USER.id).messages.findLast((message) => 'invoice' in message);
    const paying = server.emulator.payments.pay(USER, invoice as NonNullable<typeof invoice>);
    for (;;) {
      const query = (await server.takeUpdates()).find((update) => update.pre_checkout_query)?.pre_checkout_query;
      if (query) {
        await server.api.answerPreCheckoutQuery(query.id, true);
        break;
      }
    }
    const outcome = await paying;
    if (!outcome.ok) throw new Error('not paid');
    return outcome.chargeId;
  }

  it('applies a missed payment and its missed refund in the order they happened, once', async () => {
    const chargeId = await payment();
    await server.api.refundStarPayment(USER.id, chargeId);
    const payments = new Payments({
      db: migrated.handle.db,
      events: new EventBus(),
      telegram: telegramPaymentsApi(server.api),
    });
    expect(await payments.reconcile(0)).toEqual([{ provider: 'stars', seen: 2, repaired: 2 }]);
    const stored = await payments.ledger.find('stars', chargeId);
    expect(stored).toMatchObject({ userId: USER.id, product: 'shop/pass', status: 'refunded', refundedAmount: 40 });
    expect(await payments.has(USER.id, 'pass')).toBe(false);
    expect(await payments.reconcile(0)).toEqual([{ provider: 'stars', seen: 2, repaired: 0 }]);
  });
});
