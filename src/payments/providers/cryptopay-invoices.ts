// Crypto Pay invoices as ledger events, and the signature of its webhook deliveries. An invoice is
// active, then paid or expired (no confirming or underpaid state): the webhook and the poller both
// turn an invoice into the event `<invoice id>:<status>`, so that a status seen both ways counts once.
import { createHash, createHmac } from 'node:crypto';
import { z } from 'zod';
import { OmniError } from '../../errors.js';
import { sameBytes } from '../../lib/same-bytes.js';
import { minorAmount } from '../currency.js';
import type { CheckoutRequest, PaymentChange, ProviderEvent, WebhookHeaders } from '../provider.js';

export const CRYPTOPAY = 'cryptopay';

/** The fields of Crypto Pay's Invoice we read (what was paid, for the panel); the rest stays in `raw`. */
export const invoiceSchema = z.object({
  invoice_id: z.int().positive(),
  status: z.string(),
  currency_type: z.string().optional(),
  fiat: z.string().optional(),
  amount: z.string(),
  payload: z.string().optional(),
  bot_invoice_url: z.string().optional(),
  paid_asset: z.string().optional(),
  paid_amount: z.string().optional(),
  paid_fiat_rate: z.string().optional(),
});
export type Invoice = z.output<typeof invoiceSchema>;

export const updateSchema = z.object({
  update_id: z.int(),
  update_type: z.string(),
  request_date: z.string(),
  payload: z.unknown(),
});

/** What an invoice's payload carries from us (Crypto Pay keeps up to 4 KB of it). */
const ours = z.object({
  user: z.int().positive(),
  product: z.string().min(1),
  grant: z.object({ key: z.string().min(1), days: z.int().positive().optional() }).optional(),
});

export function invoicePayload(request: CheckoutRequest): string {
  const payload: z.input<typeof ours> = {
    user: request.userId,
    product: request.product,
    ...(request.grant ? { grant: request.grant } : {}),
  };
  return JSON.stringify(payload);
}

/** The event an invoice's status makes; none while it is still active. */
export function invoiceEvent(invoice: Invoice, raw: unknown): ProviderEvent | undefined {
  if (invoice.status !== 'paid' && invoice.status !== 'expired') return undefined;
  const providerId = String(invoice.invoice_id);
  const change: PaymentChange | undefined =
    invoice.status === 'expired' ? { kind: 'expired', providerId } : paidChange(invoice, providerId);
  return {
    provider: CRYPTOPAY,
    eventId: `${providerId}:${invoice.status}`,
    type: `invoice_${invoice.status}`,
    raw,
    ...(change ? { change } : {}),
    ...(invoice.paid_asset
      ? {
          details: {
            asset: invoice.paid_asset,
            ...(invoice.paid_amount ? { paid: invoice.paid_amount } : {}),
            ...(invoice.paid_fiat_rate ? { rate: invoice.paid_fiat_rate } : {}),
          },
        }
      : {}),
  };
}

/**
 * Credits only an invoice this platform opened (`expected`), for the fiat amount it asked. An invoice
 * priced in crypto was not made here: it is recorded and changes nothing.
 */
function paidChange(invoice: Invoice, providerId: string): PaymentChange | undefined {
  if (invoice.currency_type !== 'fiat' || !invoice.fiat) return undefined;
  const amount = minorAmount(invoice.amount, invoice.fiat);
  if (amount === undefined) {
    throw new OmniError('PAYMENT_EVENT_INVALID', `cryptopay invoice ${providerId}: amount "${invoice.amount}"`);
  }
  const from = buyer(invoice.payload);
  return {
    kind: 'paid',
    providerId,
    amount,
    currency: invoice.fiat,
    expected: true,
    ...(from ? { userId: from.user, product: from.product, ...(from.grant ? { grant: from.grant } : {}) } : {}),
  };
}

function buyer(payload: string | undefined): z.output<typeof ours> | undefined {
  if (!payload) return undefined;
  try {
    const parsed = ours.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Crypto Pay signs the raw body: `crypto-pay-api-signature` is the hex HMAC-SHA-256 of it, keyed
 * with the SHA-256 digest of the app's token. Compared in constant time.
 */
export function verifySignature(body: Buffer, headers: WebhookHeaders, token: string): boolean {
  const header = headers['crypto-pay-api-signature'];
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header)) return false;
  const key = createHash('sha256').update(token).digest();
  const expected = createHmac('sha256', key).update(body).digest();
  return sameBytes(Buffer.from(header, 'hex'), expected);
}
