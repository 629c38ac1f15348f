// /refund <payment id> (admins): gives a payment back through its provider (Stars: refundStarPayment)
// and records it in the ledger, which takes back what the payment granted. A payment refunded
// already, unknown, or one its provider will not refund here is answered with why.
import { OmniError } from '../../errors.js';
import { writtenAmount } from '../../lib/amounts.js';
import { matchOf } from './ban.js';
import type { CoreCommand } from './core-command.js';

/** Why a refund did not happen, worth telling the admin rather than failing the update. */
const TOLD = new Set(['PAYMENT_NOT_FOUND', 'PAYMENT_NOT_REFUNDABLE', 'PAYMENT_PROVIDER_FAILED']);

export const refund: CoreCommand = {
  info: { command: 'refund', description: (t) => t.commands.refund, adminOnly: true },
  async handle(ctx, { payments }) {
    const words = ctx.core.t.refund;
    const id = matchOf(ctx).trim();
    if (!/^\d{1,15}$/.test(id)) return ctx.reply(words.usage);
    const paymentId = Number(id);
    const payment = await payments.ledger.get(paymentId);
    if (!payment) return ctx.reply(words.notFound(paymentId));
    if (payment.status === 'refunded') return ctx.reply(words.already(paymentId));
    try {
      const refunded = await payments.refund(paymentId, { actor: `telegram:${ctx.from?.id}` });
      const amount = writtenAmount(refunded.refundedAmount - payment.refundedAmount, refunded.currency);
      return ctx.reply(words.done(paymentId, amount, refunded.userId));
    } catch (error) {
      if (error instanceof OmniError && TOLD.has(error.code))
        return ctx.reply(words.notRefundable(paymentId, error.message));
      throw error;
    }
  },
};
