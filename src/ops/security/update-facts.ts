// What the security layer reads from a raw update, at arrival and again at handling: which user is
// judged (never one of Telegram's shared senders) and whether money is involved.
import type { Update } from 'grammy/types';
import { senderOf } from '../../core/update-schema.js';

/**
 * Telegram's own senders, shared by many people: service notifications, anonymous group admins and
 * posts made on behalf of channels. They are judged per chat, never as one user to throttle or ban.
 */
const SHARED_SENDERS = new Set([777_000, 1_087_968_824, 136_817_688]);

/** The user whose limits and bans apply to the update; undefined when only its chat is judged. */
export function judgedUser(update: Update): number | undefined {
  const sender = senderOf(update)?.id;
  return sender === undefined || SHARED_SENDERS.has(sender) ? undefined : sender;
}

/** Money moved or is about to: never dropped, or a paid order would go undelivered. */
export function isPayment(update: Update): boolean {
  return !!(
    update.pre_checkout_query ||
    update.shipping_query ||
    update.message?.successful_payment ||
    update.message?.refunded_payment
  );
}
