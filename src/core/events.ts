// The platform's event bus: what happened, for plugins to react to. Typed: each event name has one
// payload shape.
import { EventEmitter } from 'node:events';
import type { User } from 'grammy/types';
import type { PaymentStatus } from '../db/schema.js';

/** A charge in the ledger, as events and the plugin API show it. */
export interface PaymentInfo {
  id: number;
  /** `stars`, `telegram`, `stripe`, … */
  provider: string;
  providerId: string;
  userId: number;
  /** `<plugin>/<product>`, or null for a charge no product explains. */
  product: string | null;
  /** Minor units of `currency` (cents; one Star is 1). */
  amount: number;
  currency: string;
  refundedAmount: number;
  status: PaymentStatus;
  createdAt: number;
}

/** An entitlement a user holds (or held): its key, and until when (null: for ever). */
export interface EntitlementInfo {
  key: string;
  /** The start of the current grant. */
  since: number;
  until: number | null;
  /** The payment that granted it last; null when an admin did. */
  paymentId: number | null;
}

export interface PlatformEvents {
  /** A Telegram user sent the bot something. */
  userSeen: [{ user: User; chatId: number | undefined }];
  /** A command (core or plugin) was run. */
  commandUsed: [{ command: string; userId: number | undefined; chatId: number | undefined }];
  /** A payment's status changed (made, confirming, paid, refunded, expired, underpaid, …). */
  paymentUpdated: [{ payment: PaymentInfo }];
  /** A payment was credited (once per charge, however often its provider told us). */
  paymentSucceeded: [{ payment: PaymentInfo }];
  /** A payment was refunded, in full or in part (`amount` this time). */
  paymentRefunded: [{ payment: PaymentInfo; amount: number }];
  /** A user's entitlement was granted, extended, shortened or revoked. */
  entitlementChanged: [{ userId: number; key: string; active: boolean; until: number | null }];
}

export type PlatformEventName = keyof PlatformEvents;

export class EventBus extends EventEmitter<PlatformEvents> {
  constructor() {
    super();
    // Every plugin may listen; the default warning at 10 listeners would be noise.
    this.setMaxListeners(0);
  }
}
