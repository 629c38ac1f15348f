// The Crypto Pay (@CryptoBot) provider: invoices priced in the product's fiat currency and paid in
// crypto inside Telegram, their `invoice_paid` webhooks verified on the raw body, and the status of
// open invoices read with getInvoices for the poller (the only way without a public URL).
import { z } from 'zod';
import { OmniError } from '../../errors.js';
import { chunks } from '../../lib/chunks.js';
import { decimalAmount } from '../currency.js';
import type { PaymentProvider, ProviderEvent } from '../provider.js';
import {
  CRYPTOPAY,
  type Invoice,
  invoiceEvent,
  invoicePayload,
  invoiceSchema,
  updateSchema,
  verifySignature,
} from './cryptopay-invoices.js';
import { parseProviderInput } from './provider-input.js';

/** Mainnet; the testnet is https://testnet-pay.crypt.bot (CRYPTOPAY_API_ROOT). */
export const CRYPTOPAY_API_ROOT = 'https://pay.crypt.bot';

export interface CryptoPayOptions {
  /** The app's API token from @CryptoBot's Crypto Pay: it authenticates calls and keys webhook signatures. */
  token: string;
  apiRoot?: string;
  /** Where the paid invoice's button leads, when known (the bot's chat). */
  returnUrl: () => string | undefined;
  /** How long an invoice can be paid. */
  expiresInSeconds?: number;
  /** Per request; a call is not retried (a second createInvoice would be a second invoice). */
  timeoutMs?: number;
}

const EXPIRES_IN_S = 3600;
const TIMEOUT_MS = 10_000;
/** getInvoices returns at most this many by default; the poller asks for as many ids at once. */
const IDS_PER_CALL = 100;

const envelope = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.union([z.int(), z.string()]).optional(), name: z.string().optional() }).loose(),
  }),
]);
const created = invoiceSchema.extend({ bot_invoice_url: z.url() });
const listed = z.object({ items: z.array(z.unknown()) });

export function cryptoPayProvider(options: CryptoPayOptions): PaymentProvider {
  const root = (options.apiRoot ?? CRYPTOPAY_API_ROOT).replace(/\/+$/, '');
  const call = async (method: string, params: Record<string, unknown>): Promise<unknown> => {
    let response: Response;
    let body: unknown;
    try {
      response = await fetch(`${root}/api/${method}`, {
        method: 'POST',
        headers: {
          'crypto-pay-api-token': options.token,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
      });
      body = await response.json();
    } catch (error) {
      throw new OmniError('PAYMENT_PROVIDER_FAILED', `cryptopay ${method}: ${(error as Error).message}`);
    }
    const answer = envelope.safeParse(body);
    if (!answer.success) {
      throw new OmniError('PAYMENT_PROVIDER_FAILED', `cryptopay ${method}: HTTP ${response.status}, not an API answer`);
    }
    if (!answer.data.ok) {
      const { code, name } = answer.data.error;
      throw new OmniError(
        'PAYMENT_PROVIDER_FAILED',
        `cryptopay ${method}: ${name ?? 'error'} (${code ?? response.status})`,
      );
    }
    return answer.data.result;
  };

  return {
    id: CRYPTOPAY,
    partialRefunds: false,
    async checkout(request) {
      const returnUrl = options.returnUrl();
      const result = await call('createInvoice', {
        currency_type: 'fiat',
        fiat: request.currency,
        amount: decimalAmount(request.amount, request.currency),
        description: `${request.title}: ${request.description}`.slice(0, 1024),
        payload: invoicePayload(request),
        expires_in: options.expiresInSeconds ?? EXPIRES_IN_S,
        ...(returnUrl ? { paid_btn_name: 'openBot', paid_btn_url: returnUrl } : {}),
      });
      const invoice = created.safeParse(result);
      if (!invoice.success) throw new OmniError('PAYMENT_PROVIDER_FAILED', 'cryptopay createInvoice: no invoice URL');
      return { url: invoice.data.bot_invoice_url, providerId: String(invoice.data.invoice_id) };
    },
    webhook(body, headers) {
      if (!verifySignature(body, headers, options.token)) {
        throw new OmniError('PAYMENT_WEBHOOK_SIGNATURE', 'cryptopay: missing or wrong crypto-pay-api-signature');
      }
      let json: unknown;
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        throw new OmniError('PAYMENT_EVENT_INVALID', 'cryptopay: the body is not JSON');
      }
      const update = parseProviderInput(CRYPTOPAY, updateSchema, json, 'update');
      // invoice_paid is the only update Crypto Pay sends today; another is acknowledged and left.
      if (update.update_type !== 'invoice_paid') return [];
      const event = invoiceEvent(parseProviderInput(CRYPTOPAY, invoiceSchema, update.payload, 'invoice'), json);
      return event ? [event] : [];
    },
    async poll(open) {
      const ids = open.map((payment) => payment.providerId).filter((id) => /^\d+$/.test(id));
      const events: ProviderEvent[] = [];
      for (const group of chunks(ids, IDS_PER_CALL)) {
        const result = await call('getInvoices', { invoice_ids: group.join(','), count: group.length });
        for (const item of parseProviderInput(CRYPTOPAY, listed, result, 'getInvoices').items) {
          const invoice: Invoice = parseProviderInput(CRYPTOPAY, invoiceSchema, item, 'invoice');
          const event = invoiceEvent(invoice, item);
          if (event) events.push(event);
        }
      }
      return events;
    },
  };
}
