// A fake Crypto Pay API over real HTTP, for what OMNICore calls: createInvoice, getInvoices and getMe,
// at /api/<method>, authenticated by the Crypto-Pay-API-Token header, parameters in the query or a
// JSON body, answers in Crypto Pay's `{ ok, result }` / `{ ok: false, error: { code, name } }`. Tests
// pay or expire its invoices, and deliver `invoice_paid` updates signed as Crypto Pay signs them.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export const CRYPTOPAY_TEST_TOKEN = '12345:AAtestCryptoPayToken0123456789';

export type CryptoPayInvoice = Record<string, unknown> & { invoice_id: number; status: string };

export interface CryptoPayRequest {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
}

export interface CryptoPayUpdate {
  update_id: number;
  update_type: 'invoice_paid';
  request_date: string;
  payload: CryptoPayInvoice;
}

const FIATS = new Set(['USD', 'EUR', 'RUB', 'GBP', 'UAH', 'KZT', 'BRL', 'INR', 'PLN', 'TRY']);

export class FakeCryptoPay {
  readonly requests: CryptoPayRequest[] = [];
  readonly invoices = new Map<number, CryptoPayInvoice>();
  /** `error`: every request is answered 500; `hang`: none is answered. */
  outage: 'error' | 'hang' | undefined;
  private server: Server | undefined;
  private serial = 1000;
  private updates = 0;
  url = '';

  constructor(readonly token = CRYPTOPAY_TEST_TOKEN) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) =>
        send(response, 500, { ok: false, error: { code: 500, name: `FAKE_FAILED ${String(error)}` } }),
      );
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  requestsTo(method: string): CryptoPayRequest[] {
    return this.requests.filter((request) => request.method === method);
  }

  /** The buyer paid the invoice in `asset`: it is paid, and the update Crypto Pay then sends. */
  pay(invoiceId: number | string, asset = 'USDT', rate = '1.00'): CryptoPayUpdate {
    const invoice = this.invoice(invoiceId);
    const amount = invoice.amount as string;
    Object.assign(invoice, {
      status: 'paid',
      paid_asset: asset,
      paid_amount: asset === 'USDT' ? amount : '0.00012345',
      paid_fiat_rate: rate,
      paid_usd_rate: rate,
      fee_asset: asset,
      fee_amount: '0.01',
      paid_at: new Date().toISOString(),
      paid_anonymously: false,
    });
    return this.update(invoice);
  }

  /** An invoice-paid update for any invoice (one OMNICore did not make). */
  update(invoice: CryptoPayInvoice): CryptoPayUpdate {
    return {
      update_id: ++this.updates,
      update_type: 'invoice_paid',
      request_date: new Date().toISOString(),
      payload: structuredClone(invoice),
    };
  }

  expire(invoiceId: number | string): void {
    this.invoice(invoiceId).status = 'expired';
  }

  invoice(invoiceId: number | string): CryptoPayInvoice {
    const invoice = this.invoices.get(Number(invoiceId));
    if (!invoice) throw new Error(`fake Crypto Pay: no invoice ${invoiceId}`);
    return invoice;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const raw = await read(request);
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (raw.length > 0) Object.assign(params, JSON.parse(raw) as Record<string, unknown>);
    const token = request.headers['crypto-pay-api-token'];
    const method = url.pathname.replace(/^\/api\//, '');
    this.requests.push({ method, params, token: typeof token === 'string' ? token : undefined });
    if (this.outage === 'hang') return;
    if (this.outage === 'error') return send(response, 500, { ok: false, error: { code: 500, name: 'INTERNAL' } });
    if (token !== this.token) return send(response, 401, { ok: false, error: { code: 401, name: 'UNAUTHORIZED' } });
    switch (method) {
      case 'getMe':
        return send(response, 200, {
          ok: true,
          result: { app_id: 12345, name: 'OMNICore test', payment_processing_bot_username: 'CryptoTestnetBot' },
        });
      case 'createInvoice': {
        const refused = this.refusal(params);
        if (refused) return send(response, 400, { ok: false, error: { code: 400, name: refused } });
        return send(response, 200, { ok: true, result: this.create(params) });
      }
      case 'getInvoices': {
        const ids = String(params.invoice_ids ?? '')
          .split(',')
          .filter(Boolean)
          .map(Number);
        const count = Number(params.count ?? 100);
        const items = [...this.invoices.values()].filter(
          (invoice) => ids.length === 0 || ids.includes(invoice.invoice_id),
        );
        return send(response, 200, { ok: true, result: { items: items.slice(0, count) } });
      }
      default:
        return send(response, 405, { ok: false, error: { code: 405, name: 'METHOD_NOT_FOUND' } });
    }
  }

  /** Crypto Pay's checks of what OMNICore sends, as its error names. */
  private refusal(params: Record<string, unknown>): string | undefined {
    if (params.currency_type !== 'fiat' || !FIATS.has(String(params.fiat))) return 'FIAT_INVALID';
    if (typeof params.amount !== 'string' || !/^\d+(\.\d+)?$/.test(params.amount)) return 'AMOUNT_INVALID';
    if (typeof params.payload === 'string' && params.payload.length > 4096) return 'PAYLOAD_TOO_LONG';
    if (typeof params.description === 'string' && params.description.length > 1024) return 'DESCRIPTION_TOO_LONG';
    const expires = Number(params.expires_in);
    if (!Number.isInteger(expires) || expires < 1 || expires > 2_678_400) return 'EXPIRES_IN_INVALID';
    return undefined;
  }

  private create(params: Record<string, unknown>): CryptoPayInvoice {
    const id = ++this.serial;
    const hash = `IV${id.toString(36).toUpperCase()}abc`;
    const now = Date.now();
    const invoice: CryptoPayInvoice = {
      invoice_id: id,
      hash,
      currency_type: 'fiat',
      fiat: params.fiat,
      amount: params.amount,
      bot_invoice_url: `https://t.me/CryptoTestnetBot?start=${hash}`,
      mini_app_invoice_url: `https://t.me/CryptoTestnetBot/app?startapp=invoice-${hash}`,
      web_app_invoice_url: `https://testnet-app.send.tg/invoices/${hash}`,
      description: params.description,
      status: 'active',
      created_at: new Date(now).toISOString(),
      allow_comments: true,
      allow_anonymous: true,
      expiration_date: new Date(now + Number(params.expires_in) * 1000).toISOString(),
      ...(params.payload === undefined ? {} : { payload: params.payload }),
      ...(params.paid_btn_name === undefined
        ? {}
        : { paid_btn_name: params.paid_btn_name, paid_btn_url: params.paid_btn_url }),
    };
    this.invoices.set(id, invoice);
    return structuredClone(invoice);
  }
}

/**
 * An update as Crypto Pay delivers it, signed as it signs: the hex HMAC-SHA-256 of the body, keyed
 * with the SHA-256 digest of the app's token.
 */
export function signedCryptoPayDelivery(
  update: unknown,
  token = CRYPTOPAY_TEST_TOKEN,
): { body: string; signature: string } {
  const body = JSON.stringify(update);
  return { body, signature: cryptoPaySignature(body, token) };
}

export function cryptoPaySignature(body: string | Buffer, token: string): string {
  const key = createHash('sha256').update(token).digest();
  return createHmac('sha256', key).update(body).digest('hex');
}

export function postCryptoPayWebhook(
  baseUrl: string,
  delivery: { body: string; signature?: string },
): Promise<Response> {
  return fetch(`${baseUrl}/payments/cryptopay/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(delivery.signature === undefined ? {} : { 'crypto-pay-api-signature': delivery.signature }),
    },
    body: delivery.body,
  });
}

function read(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
