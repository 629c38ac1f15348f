// A fake BTCPay Server over real HTTP, for what OMNICore calls of the Greenfield API: creating an
// invoice, reading it and its payment methods (in 2.x shapes, BTC on chain at a fixed rate), and the
// store's invoice list its health check reads. Tests move invoices along as a buyer and the chain
// would, and get the webhook delivery BTCPay would send, signed as it signs (BTCPay-Sig).
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export const BTCPAY_API_KEY = 'btcpay_api_key_0123456789abcdef';
export const BTCPAY_STORE_ID = 'StoreFake0123456789';
export const BTCPAY_WEBHOOK_SECRET = 'btcpay_webhook_secret_0123456789';
/** USD per BTC, as BTCPay's rate provider gives it. */
const RATE_USD = 60_000n;

export interface BtcpayRequest {
  method: string;
  path: string;
  body: unknown;
  authorization: string | undefined;
}

export type Invoice = Record<string, unknown> & {
  id: string;
  amount: string;
  currency: string;
  status: 'New' | 'Processing' | 'Expired' | 'Invalid' | 'Settled';
  additionalStatus: 'None' | 'PaidLate' | 'PaidPartial' | 'Marked' | 'Invalid' | 'PaidOver';
  metadata: Record<string, unknown>;
};

/** A webhook delivery's body, as BTCPay serialises it. */
export type Delivery = Record<string, unknown> & { type: string; invoiceId: string };

export class FakeBtcpay {
  readonly requests: BtcpayRequest[] = [];
  readonly invoices = new Map<string, Invoice>();
  /** Satoshis received per invoice, and their transactions. */
  private readonly received = new Map<string, { sats: bigint; txid: string; settled: boolean }[]>();
  /** `error`: every request is answered 500; `hang`: none is answered. */
  outage: 'error' | 'hang' | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => send(response, 500, { message: String(error) }));
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  requestsTo(method: string, pathEnd: string): BtcpayRequest[] {
    return this.requests.filter((request) => request.method === method && request.path.endsWith(pathEnd));
  }

  /** The buyer pays `percent` of the invoice's BTC amount: the invoice processes, or stays New when short. */
  pay(invoiceId: string, percent = 100): Delivery {
    const invoice = this.invoice(invoiceId);
    const sats = (satsOf(invoice) * BigInt(percent)) / 100n;
    const payments = this.received.get(invoiceId) ?? [];
    const payment = { sats, txid: randomBytes(32).toString('hex'), settled: false };
    payments.push(payment);
    this.received.set(invoiceId, payments);
    const total = payments.reduce((sum, each) => sum + each.sats, 0n);
    const late = invoice.status === 'Expired';
    if (late) invoice.additionalStatus = total >= satsOf(invoice) ? 'PaidLate' : 'PaidPartial';
    else if (total < satsOf(invoice)) invoice.additionalStatus = 'PaidPartial';
    else {
      invoice.status = 'Processing';
      invoice.additionalStatus = total > satsOf(invoice) ? 'PaidOver' : 'None';
    }
    return this.delivery('InvoiceReceivedPayment', invoice, {
      afterExpiration: late,
      paymentMethod: 'BTC-CHAIN',
      payment: paymentOf(payment),
    });
  }

  /** The payments got their confirmations: the invoice is settled (overpaid, if more came). */
  settle(invoiceId: string): Delivery {
    const invoice = this.invoice(invoiceId);
    for (const payment of this.received.get(invoiceId) ?? []) payment.settled = true;
    invoice.status = 'Settled';
    return this.delivery('InvoiceSettled', invoice, {
      manuallyMarked: false,
      overPaid: invoice.additionalStatus === 'PaidOver',
    });
  }

  /** The invoice's time ran out: partly paid or not at all. */
  expire(invoiceId: string): Delivery {
    const invoice = this.invoice(invoiceId);
    invoice.status = 'Expired';
    return this.delivery('InvoiceExpired', invoice, { partiallyPaid: invoice.additionalStatus === 'PaidPartial' });
  }

  invalidate(invoiceId: string): Delivery {
    const invoice = this.invoice(invoiceId);
    invoice.status = 'Invalid';
    return this.delivery('InvoiceInvalid', invoice, { manuallyMarked: false });
  }

  delivery(type: string, invoice: Invoice, extra: Record<string, unknown> = {}): Delivery {
    const deliveryId = randomBytes(8).toString('hex');
    return {
      deliveryId,
      webhookId: 'WebhookFake01',
      originalDeliveryId: deliveryId,
      isRedelivery: false,
      type,
      timestamp: Math.floor(Date.now() / 1000),
      storeId: BTCPAY_STORE_ID,
      invoiceId: invoice.id,
      metadata: invoice.metadata,
      ...extra,
    };
  }

  private invoice(id: string): Invoice {
    const invoice = this.invoices.get(id);
    if (!invoice) throw new Error(`fake BTCPay: no invoice ${id}`);
    return invoice;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://fake');
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      body: text ? (JSON.parse(text) as unknown) : undefined,
      authorization: request.headers.authorization,
    });
    if (this.outage === 'hang') return;
    if (this.outage === 'error') return send(response, 500, { code: 'generic-error', message: 'fake outage' });
    if (request.headers.authorization !== `token ${BTCPAY_API_KEY}`) {
      return send(response, 401, { code: 'unauthenticated', message: 'Authentication is required' });
    }
    const route = /^\/api\/v1\/stores\/([^/]+)\/invoices(?:\/([^/]+)(\/payment-methods)?)?$/.exec(url.pathname);
    if (!route || route[1] !== BTCPAY_STORE_ID) return send(response, 404, { code: 'store-not-found' });
    const [, , invoiceId, methods] = route;
    if (!invoiceId && request.method === 'POST') return send(response, 200, this.create(JSON.parse(text)));
    if (!invoiceId)
      return send(response, 200, [...this.invoices.values()].slice(0, Number(url.searchParams.get('take') ?? 50)));
    const invoice = this.invoices.get(invoiceId);
    if (!invoice) return send(response, 404, { code: 'invoice-not-found', message: 'The invoice was not found' });
    return send(response, 200, methods ? this.paymentMethods(invoice) : invoice);
  }

  private create(body: { amount: string; currency: string; metadata?: Record<string, unknown>; checkout?: unknown }) {
    if (!/^\d+(\.\d+)?$/.test(body.amount))
      throw new Error(`fake BTCPay: amount ${body.amount} is not a decimal string`);
    const now = Math.floor(Date.now() / 1000);
    const id = randomBytes(11).toString('base64url');
    const invoice: Invoice = {
      id,
      storeId: BTCPAY_STORE_ID,
      amount: body.amount,
      currency: body.currency,
      type: 'Standard',
      checkoutLink: `${this.url}/i/${id}`,
      createdTime: now,
      expirationTime: now + 900,
      monitoringExpiration: now + 87_300,
      status: 'New',
      additionalStatus: 'None',
      availableStatusesForManualMarking: ['Settled', 'Invalid'],
      archived: false,
      metadata: body.metadata ?? {},
      checkout: { expirationMinutes: 15, ...(body.checkout as object) },
    };
    this.invoices.set(id, invoice);
    return invoice;
  }

  private paymentMethods(invoice: Invoice) {
    const payments = this.received.get(invoice.id) ?? [];
    const paid = payments.reduce((sum, each) => sum + each.sats, 0n);
    return [
      {
        paymentMethodId: 'BTC-CHAIN',
        currency: 'BTC',
        destination: 'bcrt1qfakeaddress0000000000000000000000000',
        paymentLink: 'bitcoin:bcrt1qfakeaddress0000000000000000000000000',
        rate: `${RATE_USD}.00`,
        paymentMethodPaid: btc(paid),
        totalPaid: btc(paid),
        due: btc(satsOf(invoice) - paid),
        amount: btc(satsOf(invoice)),
        networkFee: '0.00000000',
        payments: payments.map(paymentOf),
        activated: true,
        additionalData: {},
      },
    ];
  }
}

/** The invoice's USD amount in satoshis at the fixed rate, by integer arithmetic. */
function satsOf(invoice: Invoice): bigint {
  const [whole = '0', fraction = ''] = invoice.amount.split('.');
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return (cents * 100_000_000n) / (RATE_USD * 100n);
}

function btc(sats: bigint): string {
  const sign = sats < 0n ? '-' : '';
  const digits = (sats < 0n ? -sats : sats).toString().padStart(9, '0');
  return `${sign}${digits.slice(0, -8)}.${digits.slice(-8)}`;
}

function paymentOf(payment: { sats: bigint; txid: string; settled: boolean }) {
  return {
    id: `${payment.txid}-0`,
    receivedDate: Math.floor(Date.now() / 1000),
    value: btc(payment.sats),
    fee: '0.00000000',
    status: payment.settled ? 'Settled' : 'Processing',
    destination: 'bcrt1qfakeaddress0000000000000000000000000',
  };
}

/** A delivery's body as BTCPay posts it, and its signature header made with `secret`. */
export function signedBtcpayDelivery(
  delivery: unknown,
  secret = BTCPAY_WEBHOOK_SECRET,
): { body: string; signature: string } {
  const body = JSON.stringify(delivery, null, 2);
  return { body, signature: btcpaySignature(body, secret) };
}

export function btcpaySignature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function postBtcpayWebhook(baseUrl: string, delivery: { body: string; signature?: string }): Promise<Response> {
  return fetch(`${baseUrl}/payments/btcpay/webhook`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(delivery.signature === undefined ? {} : { 'btcpay-sig': delivery.signature }),
    },
    body: delivery.body,
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
