// Telegram's payment updates, handled before any plugin and whether or not the selling plugin is
// on: a pre_checkout_query is answered at once (yes, or why not: product gone, price changed, user
// banned), and successful_payment and refunded_payment messages go to the ledger, keyed by
// Telegram's charge id. They arrive through the durable inbox, so a crash between the charge and
// its entitlement is resumed at the next start and recorded then, once.
import type { Middleware } from 'grammy';
import type { BotContext } from '../core/context.js';
import type { Payments } from '../payments/payments.js';
import { decodeOffer } from '../payments/products.js';
import { paymentEvent, preCheckoutAnswer, refundEvent } from '../payments/telegram.js';

export interface PaymentUpdatesDeps {
  payments: Payments;
  /** Whether the user is banned now (the security layer's ban store). */
  isBanned: (userId: number) => boolean;
}

export function paymentUpdates({ payments, isBanned }: PaymentUpdatesDeps): Middleware<BotContext> {
  return async (ctx, next) => {
    const query = ctx.preCheckoutQuery;
    if (query) {
      const plugin = decodeOffer(query.invoice_payload)?.plugin;
      const answer = preCheckoutAnswer(
        query,
        plugin === undefined ? undefined : payments.catalogue(plugin),
        isBanned(query.from.id),
        ctx.core.t.payments,
      );
      await (answer.ok ? ctx.answerPreCheckoutQuery(true) : ctx.answerPreCheckoutQuery(false, answer.reason));
      return;
    }
    const message = ctx.message;
    if (message?.successful_payment && message.from) {
      await payments.record(paymentEvent(message.successful_payment, message.from));
    } else if (message?.refunded_payment) {
      await payments.record(refundEvent(message.refunded_payment));
    }
    // The selling plugin may thank the user for it (message:successful_payment) after this.
    await next();
  };
}
