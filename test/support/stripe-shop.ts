// What the Stripe tests sell, and the ledger reads they make, over the real platform.
import type { Platform } from '../../src/main.js';

export const PRODUCTS = [
  {
    id: 'premium',
    title: 'Premium',
    description: 'Premium features for 30 days',
    prices: { USD: 499, XTR: 50 },
    grants: { key: 'premium', days: 30 },
  },
  {
    id: 'club',
    title: 'Club',
    description: 'The club, renewed every 30 days',
    prices: { EUR: 300 },
    kind: 'subscription',
    grants: { key: 'club', days: 30 },
  },
];

/** Declares the products under the plugin name `shop`. */
export function openShop(platform: Platform): void {
  platform.payments.declare('shop', PRODUCTS);
}

/** A checkout link for `userId`, and the Checkout session id it leads to. */
export async function checkoutSession(platform: Platform, userId: number, product: string): Promise<string> {
  const url = await platform.payments.checkoutLink(userId, 'shop', product);
  return url.split('/').at(-1) as string;
}

/** The ledger's rows for the events of one provider event id. */
export async function recordedEvents(platform: Platform, eventId: string): Promise<number> {
  const rows = await platform.database.db
    .selectFrom('payment_events')
    .select('id')
    .where('provider', '=', 'stripe')
    .where('event_id', '=', eventId)
    .execute();
  return rows.length;
}

/** The entitlement rows granted to a user (revoked or not). */
export async function grants(platform: Platform, userId: number) {
  return platform.database.db.selectFrom('entitlements').selectAll().where('user_id', '=', userId).execute();
}
