// Telegram's payment updates, handled before any plugin and whether or not the selling plugin is
// on: a pre_checkout_query for one of our invoices is answered at once (yes, or why not: product
// gone, price changed, user banned), one for an invoice a plugin made with a payload of its own goes
// to the plugins and is declined if none answers; successful_payment and refunded_payment messages
// go to the ledger, keyed by Telegram's charge id. They arrive through the durable inbox, so a crash
// between the charge and its entitlement is resumed at the next start and recorded then, once.
import type { Middleware, NextFunction } from 'grammy';
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
      const banned = isBanned(query.from.id);
      const offer = decodeOffer(query.invoice_payload);
      if (!offer && !banned) return answeredByPlugins(ctx, next);
      const answer = preCheckoutAnswer(query, offer && payments.catalogue(offer.plugin), banned, ctx.core.t.payments);
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

/**
 * A plugin that sends invoices through the Bot API itself (replyWithInvoice, its own payload) answers
 * their pre-checkout; when none did, the user is told the invoice is not valid rather than left to
 * Telegram's timeout.
 */
async function answeredByPlugins(ctx: BotContext, next: NextFunction): Promise<void> {
  let answered = false;
  // The plugins' contexts share this update's Api, so every answer they give passes through here.
  ctx.api.config.use((prev, method, payload, signal) => {
    if (method === 'answerPreCheckoutQuery') answered = true;
    return prev(method, payload, signal);
  });
  await next();
  if (!answered) await ctx.answerPreCheckoutQuery(false, ctx.core.t.payments.invalid);
}
