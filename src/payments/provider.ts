// The seam every payment provider fits (Telegram Stars, Telegram invoices through a provider token,
// Stripe, and the crypto providers to come): what it can do, and the events it reports, already
// verified and turned into the one change the ledger understands.
import type { PaymentInfo } from '../core/events.js';

/** What one provider event does to the ledger. */
export type PaymentChange =
  | {
      kind: 'paid';
      providerId: string;
      /** The provider's second id for the charge (Stripe's payment intent, Telegram's provider charge). */
      reference?: string;
      /** Absent on a renewal, which takes them from the subscription's first payment. */
      userId?: number;
      product?: string | null;
      amount: number;
      currency: string;
      subscriptionId?: string;
      grant?: { key: string; days?: number };
      /** What the audit log should say besides (an overpayment: what came, against what was asked). */
      note?: string;
      /** Credit only a payment this platform opened (a checkout it made): one it does not know is
       *  recorded as an event, flagged `unknown`, and credits nothing. */
      expected?: true;
    }
  | {
      kind: 'pending';
      providerId: string;
      userId: number;
      product: string | null;
      amount: number;
      currency: string;
      subscriptionId?: string;
    }
  /** `refundedAmount` is the total refunded so far, so that a repeated report changes nothing. */
  | { kind: 'refunded'; providerId: string; refundedAmount: number }
  | { kind: 'failed' | 'expired'; providerId: string }
  /** Seen on the chain, waiting for confirmations. */
  | { kind: 'confirming'; providerId: string }
  /** Less came than was asked: recorded, shown to admins, nothing granted. */
  | { kind: 'underpaid'; providerId: string; note?: string }
  /** The subscription ends (or ended) at `endsAt`: its entitlements end then, not later. */
  | { kind: 'subscription_ended'; subscriptionId: string; endsAt: number };

/** What the buyer paid with, where the provider says (crypto: the coin, its network, the transaction). */
export interface PaymentDetails {
  /** The asset paid: `USDT`, `btc`, `BTC-CHAIN`, … as the provider names it. */
  asset?: string;
  network?: string;
  /** How much of `asset` came, as the provider's decimal string. */
  paid?: string;
  /** The provider's rate of the asset to the invoice's currency, as a decimal string. */
  rate?: string;
  /** Transaction hashes or ids on the chain. */
  transactions?: string[];
}

export interface ProviderEvent {
  provider: string;
  /** Unique per provider: the same event twice is recorded and acted on once. */
  eventId: string;
  type: string;
  /** The event as the provider sent it, kept for audit. */
  raw: unknown;
  /** What it says of how the buyer paid, for the panel's payment page. */
  details?: PaymentDetails;
  /** Undefined for an event that is recorded but changes nothing. */
  change?: PaymentChange;
}

export interface CheckoutRequest {
  userId: number;
  /** `<plugin>/<product>`. */
  product: string;
  title: string;
  description: string;
  amount: number;
  currency: string;
  /** Days between renewals; absent for a one-off payment. */
  renewEveryDays?: number;
  grant?: { key: string; days?: number };
}

/** A payment still waiting for its money, as the poller hands it to its provider. */
export interface OpenPayment {
  id: number;
  providerId: string;
  userId: number;
  product: string | null;
  amount: number;
  currency: string;
  status: 'pending' | 'confirming';
  createdAt: number;
}

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface PaymentProvider {
  readonly id: string;
  /** Whether part of a payment can be given back. */
  readonly partialRefunds: boolean;
  /** Gives back `amount` (minor units) of a paid payment; throws PAYMENT_PROVIDER_FAILED when the provider refuses. */
  refund?(payment: PaymentInfo & { reference: string | null }, amount: number): Promise<void>;
  /** A hosted checkout page for the request: its URL and the id its events will carry. */
  checkout?(request: CheckoutRequest): Promise<{ url: string; providerId: string }>;
  /**
   * Verifies a webhook delivery on its raw body and turns it into events; throws
   * PAYMENT_WEBHOOK_SIGNATURE when the signature is missing, wrong or too old.
   */
  webhook?(body: Buffer, headers: WebhookHeaders): ProviderEvent[] | Promise<ProviderEvent[]>;
  /** The provider's events since `since` (epoch ms), oldest first: what reconciliation replays. */
  recent?(since: number): Promise<ProviderEvent[]>;
  /**
   * The current state of its open payments (pending or confirming), as the events its webhook would
   * send (the same event ids, so that a status seen both ways counts once): the status poller's
   * way, and the only one when the server has no public URL.
   */
  poll?(open: readonly OpenPayment[]): Promise<ProviderEvent[]>;
}
