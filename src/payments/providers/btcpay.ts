// The BTCPay Server provider (self-hosted, Greenfield API): an invoice per checkout, its hosted
// checkout page, webhooks signed with the store webhook's secret (BTCPay-Sig), and the invoices'
// current state for the status poller.
import { createHmac, randomUUID } from 'node:crypto';
import { OmniError } from '../../errors.js';
import { sameBytes } from '../../lib/same-bytes.js';
import { decimalAmount } from '../currency.js';
import type {
  CheckoutRequest,
  OpenPayment,
  PaymentDetails,
  PaymentProvider,
  ProviderEvent,
  WebhookHeaders,
} from '../provider.js';
import {
  BTCPAY,
  deliveryEvents,
  invoiceData,
  invoiceEvents,
  invoiceSeen,
  type Money,
  methodsDetails,
  needsPayments,
  type OurMetadata,
  ourMetadata,
  parse,
  paymentMethods,
} from './btcpay-events.js';

export interface BtcpayOptions {
  /** BTCPAY_URL: the server's base URL, without a trailing slash. */
  url: string;
  apiKey: string;
  storeId: string;
  /** The store webhook's secret; without it the provider takes no webhooks (the poller still finds every payment). */
  webhookSecret?: string;
  /** Where the checkout page's "return to store" leads, when known (the bot's chat). */
  returnUrl: () => string | undefined;
  /** Per request: well inside the 15 s Payments gives a provider. */
  timeoutMs?: number;
}

const TIMEOUT_MS = 10_000;

export function btcpayProvider(options: BtcpayOptions): PaymentProvider {
  const store = `${options.url}/api/v1/stores/${encodeURIComponent(options.storeId)}`;
  const call: Call = (what, path, init = {}) => greenfield(`${store}${path}`, what, options, init);
  const { webhookSecret } = options;
  return {
    id: BTCPAY,
    partialRefunds: false,
    async checkout(request) {
      const answer = await call('create invoice', '/invoices', { body: invoiceBody(request, options) });
      const created = parse(invoiceData, answer, 'the invoice');
      if (!created.checkoutLink)
        throw new OmniError('PAYMENT_PROVIDER_FAILED', `btcpay invoice ${created.id} has no checkoutLink`);
      return { url: created.checkoutLink, providerId: created.id };
    },
    async poll(open) {
      const events: ProviderEvent[] = [];
      for (const payment of open) events.push(...(await invoiceState(payment, call)));
      return events;
    },
    ...(webhookSecret
      ? {
          webhook(body: Buffer, headers: WebhookHeaders) {
            if (!validSignature(body, headers['btcpay-sig'], webhookSecret)) {
              throw new OmniError('PAYMENT_WEBHOOK_SIGNATURE', 'btcpay: BTCPay-Sig does not match the body');
            }
            let delivery: unknown;
            try {
              delivery = JSON.parse(body.toString('utf8'));
            } catch {
              throw new OmniError('PAYMENT_EVENT_INVALID', 'btcpay: the body is not JSON');
            }
            return deliveryEvents(delivery, options.storeId);
          },
        }
      : {}),
  };
}

/** The Greenfield CreateInvoiceRequest: the fiat price as a decimal string, and who bought what in the metadata. */
function invoiceBody(request: CheckoutRequest, options: BtcpayOptions) {
  const omnicore: OurMetadata = {
    user: request.userId,
    product: request.product,
    amount: request.amount,
    currency: request.currency,
    ...(request.grant ? { grant: request.grant } : {}),
  };
  const redirectURL = options.returnUrl();
  return {
    amount: decimalAmount(request.amount, request.currency),
    currency: request.currency,
    metadata: {
      // Indexed by BTCPay: the invoice list finds every purchase of one user by `omnicore-<user>-`.
      orderId: `omnicore-${request.userId}-${randomUUID()}`,
      itemDesc: request.title,
      itemCode: request.product,
      omnicore,
    },
    ...(redirectURL ? { checkout: { redirectURL } } : {}),
  };
}

type Call = (what: string, path: string, init?: GreenfieldRequest) => Promise<unknown>;

/** One open payment's invoice as events; an invoice BTCPay no longer has makes none. */
async function invoiceState(payment: OpenPayment, call: Call): Promise<ProviderEvent[]> {
  const path = `/invoices/${encodeURIComponent(payment.providerId)}`;
  const raw = await call('get invoice', path, { missing: 'undefined' });
  if (raw === undefined) return [];
  const invoice = parse(invoiceData, raw, 'the invoice');
  let seen = invoiceSeen(invoice);
  if (!seen) return [];
  let recorded: { invoice: unknown; paymentMethods?: unknown } = { invoice: raw };
  let details: PaymentDetails | undefined;
  if (needsPayments(seen)) {
    // Asset, network, amounts, rate and transactions: what the panel shows of a payment that came.
    const methods = await call('get invoice payment methods', `${path}/payment-methods`);
    const parsed = parse(paymentMethods, methods, 'the payment methods');
    seen = invoiceSeen(invoice, parsed) ?? seen;
    details = methodsDetails(parsed);
    recorded = { invoice: raw, paymentMethods: methods };
  }
  return invoiceEvents(invoice.id, seen, moneyOf(invoice, payment), typeOf(invoice), recorded, details);
}

/** What the invoice asked: as our checkout wrote it in the metadata, else as the ledger has it. */
function moneyOf(invoice: { metadata?: Record<string, unknown> | null }, payment: OpenPayment): Money {
  const ours = ourMetadata.safeParse(invoice.metadata?.omnicore);
  if (ours.success) return ours.data;
  return { user: payment.userId, product: payment.product, amount: payment.amount, currency: payment.currency };
}

const typeOf = (invoice: { status: string; additionalStatus: string }) =>
  `invoice.${invoice.status}${invoice.additionalStatus === 'None' ? '' : `.${invoice.additionalStatus}`}`;

/** `BTCPay-Sig: sha256=<hex of HMAC-SHA256(secret, raw body)>`, compared in constant time. */
export function validSignature(body: Buffer, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  const expected = createHmac('sha256', secret).update(body).digest();
  return sameBytes(given, expected);
}

interface GreenfieldRequest {
  /** POSTed as JSON when present. */
  body?: unknown;
  /** `undefined`: a 404 is the answer undefined (an invoice BTCPay no longer has), not a failure. */
  missing?: 'undefined';
}

/** A Greenfield call; a refusal or an outage is PAYMENT_PROVIDER_FAILED naming what was asked, never the key. */
async function greenfield(
  url: string,
  what: string,
  options: BtcpayOptions,
  init: GreenfieldRequest,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `token ${options.apiKey}`,
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
    });
  } catch (error) {
    throw new OmniError('PAYMENT_PROVIDER_FAILED', `btcpay ${what}: ${(error as Error).message}`);
  }
  const text = await response.text().catch(() => '');
  if (response.status === 404 && init.missing) return undefined;
  if (!response.ok) {
    throw new OmniError('PAYMENT_PROVIDER_FAILED', `btcpay ${what}: HTTP ${response.status} ${problemOf(text)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OmniError('PAYMENT_PROVIDER_FAILED', `btcpay ${what}: the answer is not JSON`);
  }
}

/** Greenfield errors: `{ code, message }`, or a list of `{ path, message }` for a request it refused. */
function problemOf(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    const first = Array.isArray(body) ? body[0] : body;
    const message = (first as { message?: unknown } | undefined)?.message;
    if (typeof message === 'string') return message.slice(0, 200);
  } catch {
    // Not JSON: a proxy's page, say nothing of it.
  }
  return '';
}
