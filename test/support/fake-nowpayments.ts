// A fake NOWPayments API over real HTTP, for what OMNICore calls: POST /v1/invoice, the payment list
// filtered by invoice (GET /v1/payment/?invoiceId=…) and GET /v1/status, in their documented shapes,
// behind the x-api-key header. Tests move an invoice's payment through its statuses and deliver the
// IPN NOWPayments would send, signed their way; it records every request, and can be told to answer
// 500 or never answer.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export const NOWPAYMENTS_API_KEY = 'NP0TEST-FAKE000-KEY0000-0000001';
export const NOWPAYMENTS_IPN_SECRET = 'ipn-secret-test-0123456789';

export interface NowPaymentsRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The body exactly as sent. */
  body: string;
  apiKey: string | undefined;
}

export type NowPaymentObject = Record<string, unknown> & { payment_id: number; invoice_id: number };

export class FakeNowPayments {
  readonly requests: NowPaymentsRequest[] = [];
  readonly invoices = new Map<string, Record<string, unknown>>();
  /** Every payment made for any invoice, oldest first. */
  readonly payments: NowPaymentObject[] = [];
  outage: 'error' | 'hang' | undefined;
  private server: Server | undefined;
  private serial = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) =>
        send(response, 500, { statusCode: 500, message: `fake NOWPayments failed: ${String(error)}` }),
      );
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  requestsTo(method: string, path: string): NowPaymentsRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  /**
   * The buyer's payment for an invoice reaches `status`: the invoice's newest payment moves on, or a
   * new one is made (the buyer chose a coin, or another one). Returns the payment as the IPN carries it.
   */
  pay(
    invoiceId: string,
    status: string,
    options: { newPayment?: boolean; actuallyPaid?: number; payAmount?: number } = {},
  ): NowPaymentObject {
    const invoice = this.invoices.get(invoiceId);
    if (!invoice) throw new Error(`fake NOWPayments: no invoice ${invoiceId}`);
    let payment = options.newPayment ? undefined : this.payments.findLast((p) => String(p.invoice_id) === invoiceId);
    if (!payment) {
      const at = new Date(Date.now() + this.serial).toISOString();
      payment = {
        payment_id: 5_000_000_000 + ++this.serial,
        invoice_id: Number(invoiceId),
        payment_status: 'waiting',
        pay_address: `bc1qfake${this.serial}`,
        payin_extra_id: null,
        price_amount: invoice.price_amount,
        price_currency: invoice.price_currency,
        pay_amount: 0.00012345,
        actually_paid: 0,
        actually_paid_at_fiat: 0,
        pay_currency: 'btc',
        order_id: invoice.order_id,
        order_description: invoice.order_description,
        purchase_id: 6_000_000_000 + this.serial,
        outcome_amount: 0.0001201,
        outcome_currency: 'btc',
        payment_extra_ids: null,
        fee: { currency: 'btc', depositFee: 0, withdrawalFee: 0.0000012, serviceFee: 0.0000006 },
        created_at: at,
        updated_at: at,
      };
      this.payments.push(payment);
    }
    const paid = status === 'waiting' || status === 'expired' ? 0 : (options.actuallyPaid ?? payment.pay_amount);
    Object.assign(payment, {
      payment_status: status,
      ...(options.payAmount === undefined ? {} : { pay_amount: options.payAmount }),
      actually_paid: paid,
      ...(status === 'finished' ? { payin_hash: `0xfeed${payment.payment_id}` } : {}),
      updated_at: new Date().toISOString(),
    });
    return payment;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    const apiKey = request.headers['x-api-key'];
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: Buffer.concat(chunks).toString('utf8'),
      apiKey: typeof apiKey === 'string' ? apiKey : undefined,
    });
    if (this.outage === 'hang') return;
    if (this.outage === 'error') return send(response, 500, { statusCode: 500, message: 'Internal server error' });
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /v1/status') return send(response, 200, { message: 'OK' });
    if (apiKey !== NOWPAYMENTS_API_KEY) {
      return send(response, 403, {
        status: false,
        statusCode: 403,
        code: 'INVALID_API_KEY',
        message: 'Invalid api key',
      });
    }
    if (route === 'POST /v1/invoice')
      return this.createInvoice(JSON.parse(this.requests.at(-1)?.body ?? '{}'), response);
    if (route === 'GET /v1/payment/') return this.listPayments(url.searchParams, response);
    send(response, 404, { statusCode: 404, message: `fake NOWPayments has no ${route}` });
  }

  private createInvoice(body: Record<string, unknown>, response: ServerResponse): void {
    if (typeof body.price_amount !== 'number' || typeof body.price_currency !== 'string') {
      send(response, 400, { statusCode: 400, code: 'INVALID_REQUEST_PARAMS', message: 'price_amount is required' });
      return;
    }
    const id = String(4_000_000_000 + ++this.serial);
    const at = new Date().toISOString();
    const invoice = {
      id,
      token_id: `tok${id}`,
      order_id: body.order_id ?? null,
      order_description: body.order_description ?? null,
      price_amount: String(body.price_amount),
      price_currency: body.price_currency,
      pay_currency: null,
      ipn_callback_url: body.ipn_callback_url ?? null,
      invoice_url: `https://nowpayments.io/payment/?iid=${id}`,
      success_url: body.success_url ?? null,
      cancel_url: body.cancel_url ?? null,
      created_at: at,
      updated_at: at,
    };
    this.invoices.set(id, { ...invoice, price_amount: body.price_amount });
    send(response, 200, invoice);
  }

  private listPayments(query: URLSearchParams, response: ServerResponse): void {
    const limit = Number(query.get('limit') ?? 10);
    const page = Number(query.get('page') ?? 0);
    const invoiceId = query.get('invoiceId');
    const matching = this.payments
      .filter((payment) => invoiceId === null || String(payment.invoice_id) === invoiceId)
      .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
    if (query.get('orderBy') === 'desc') matching.reverse();
    send(response, 200, {
      data: matching.slice(page * limit, (page + 1) * limit),
      limit,
      page,
      pagesCount: Math.ceil(matching.length / limit),
      total: matching.length,
    });
  }
}

/**
 * An IPN as NOWPayments sends it: the payment in its own key order, pretty-printed (so that only a
 * body parsed and sorted again matches), and its x-nowpayments-sig: HMAC-SHA512 over the JSON with
 * the keys of every object sorted (sorted here by a replacer, independently of the code under test).
 */
export function signedIpn(payment: object, secret = NOWPAYMENTS_IPN_SECRET): { body: string; signature: string } {
  const sorted = JSON.stringify(payment, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return {
    body: JSON.stringify(payment, null, 2),
    signature: createHmac('sha512', secret).update(sorted).digest('hex'),
  };
}

/** POSTs an IPN to the server's NOWPayments webhook. */
export function postIpn(baseUrl: string, delivery: { body: string; signature?: string }): Promise<Response> {
  return fetch(`${baseUrl}/payments/nowpayments/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(delivery.signature === undefined ? {} : { 'x-nowpayments-sig': delivery.signature }),
    },
    body: delivery.body,
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
