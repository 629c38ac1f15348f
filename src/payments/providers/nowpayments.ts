// The NOWPayments provider: a hosted invoice (POST /v1/invoice) for a product's fiat price, IPNs
// verified by their sorted-keys HMAC, and the status poller's view of each open invoice's newest
// payment (GET /v1/payment/?invoiceId=…). Over fetch; refunds are made in their dashboard.
import { z } from 'zod';
import { OmniError } from '../../errors.js';
import { decimalAmount } from '../currency.js';
import type { CheckoutRequest, OpenPayment, PaymentProvider, ProviderEvent } from '../provider.js';
import { NOWPAYMENTS, type NowPayment, nowPaymentEvent, orderId, readPayment } from './nowpayments-events.js';
import { signedIpn } from './nowpayments-signature.js';

export const NOWPAYMENTS_API_ROOT = 'https://api.nowpayments.io';

export interface NowPaymentsOptions {
  apiKey: string;
  /** Without it the provider takes no IPNs: the status poller still finds every payment. */
  ipnSecret?: string;
  /** NOWPAYMENTS_API_ROOT: the sandbox, or another server speaking their API (tests). */
  apiRoot?: string;
  /** The server's public URL (WEBHOOK_URL): IPNs are asked for only when there is one and an IPN secret. */
  publicUrl?: string;
  /** Where the invoice page sends the buyer back, when known (the bot's chat). */
  returnUrl: () => string | undefined;
  /** Per request: below the 15 s Payments gives a provider. */
  timeoutMs?: number;
}

const TIMEOUT_MS = 10_000;
/** Open invoices asked about at once by the poller. */
const POLL_CONCURRENCY = 4;

const invoice = z.object({
  id: z.union([z.string().regex(/^\d+$/), z.int().nonnegative()]).transform(String),
  invoice_url: z.url(),
});
const paymentList = z.object({ data: z.array(z.unknown()) });

export function nowPaymentsProvider(options: NowPaymentsOptions): PaymentProvider {
  const root = (options.apiRoot ?? NOWPAYMENTS_API_ROOT).replace(/\/+$/, '');
  const call = async (method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> => {
    const what = `nowpayments ${method} ${path.split('?')[0]}`;
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        method,
        headers: {
          'x-api-key': options.apiKey,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (error) {
      throw new OmniError('PAYMENT_PROVIDER_FAILED', `${what}: ${(error as Error).message}`);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(await response.text());
    } catch {
      throw new OmniError('PAYMENT_PROVIDER_FAILED', `${what}: HTTP ${response.status}, not JSON`);
    }
    if (!response.ok) {
      // Their error bodies are { statusCode, code, message }: the message says what was refused.
      const refused = z.object({ message: z.string().max(200) }).safeParse(answer);
      const reason = refused.success ? ` ${refused.data.message}` : '';
      throw new OmniError('PAYMENT_PROVIDER_FAILED', `${what}: HTTP ${response.status}${reason}`);
    }
    return answer;
  };
  const read = <T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new OmniError('PAYMENT_PROVIDER_FAILED', `nowpayments ${what}: ${parsed.error.issues[0]?.message}`);
  };

  /** The newest payment made for an open invoice, as its event (none while it waits). */
  const current = async (open: OpenPayment): Promise<ProviderEvent | undefined> => {
    const query = new URLSearchParams({
      invoiceId: open.providerId,
      limit: '10',
      page: '0',
      sortBy: 'created_at',
      orderBy: 'desc',
    });
    const listed = read(paymentList, await call('GET', `/v1/payment/?${query}`), 'payment list');
    let newest: { payment: NowPayment; raw: unknown } | undefined;
    for (const raw of listed.data) {
      const payment = readPayment(raw, 'payment list');
      // The filter is the provider's; a payment of another invoice is not this one's news.
      if (payment.invoice_id !== open.providerId) continue;
      if (!newest || (payment.created_at ?? '') > (newest.payment.created_at ?? '')) newest = { payment, raw };
    }
    return newest && nowPaymentEvent(newest.payment, newest.raw);
  };

  const { ipnSecret } = options;
  return {
    id: NOWPAYMENTS,
    partialRefunds: false,
    async checkout(request) {
      const created = read(invoice, await call('POST', '/v1/invoice', invoiceBody(request, options)), 'invoice');
      return { url: created.invoice_url, providerId: created.id };
    },
    async poll(open) {
      const events: ProviderEvent[] = [];
      for (let start = 0; start < open.length; start += POLL_CONCURRENCY) {
        const found = await Promise.all(open.slice(start, start + POLL_CONCURRENCY).map(current));
        for (const event of found) if (event) events.push(event);
      }
      return events;
    },
    ...(ipnSecret
      ? {
          webhook(body, headers) {
            const parsed = signedIpn(body, headers['x-nowpayments-sig'], ipnSecret);
            const event = nowPaymentEvent(readPayment(parsed, 'IPN'), parsed);
            return event ? [event] : [];
          },
        }
      : {}),
  };
}

/**
 * The invoice's JSON body. NOWPayments reads price_amount as a JSON number: the decimal's digits,
 * moved from minor units as a string, are written into the body as they are, never through a float.
 * A product renewed every N days is sold one period at a time: NOWPayments invoices do not renew.
 */
function invoiceBody(request: CheckoutRequest, options: NowPaymentsOptions): string {
  const returnUrl = options.returnUrl();
  const rest = {
    price_currency: request.currency.toLowerCase(),
    order_id: orderId(request),
    order_description: request.title,
    // Asked for only when this server takes them: without a secret they would be refused anyway.
    ...(options.publicUrl && options.ipnSecret
      ? { ipn_callback_url: `${options.publicUrl.replace(/\/+$/, '')}/payments/${NOWPAYMENTS}/webhook` }
      : {}),
    ...(returnUrl ? { success_url: returnUrl, cancel_url: returnUrl } : {}),
  };
  return `{"price_amount":${decimalAmount(request.amount, request.currency)},${JSON.stringify(rest).slice(1)}`;
}
