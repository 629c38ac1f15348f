// A fake Stripe API over real HTTP, for exactly what OMNICore calls: checkout sessions, refunds,
// invoice payments, the events list (paginated as Stripe does) and the balance its health check
// reads, in the shapes of the SDK's pinned API version. It keeps the events a real account would
// have, so that tests can deliver them signed (stripe-webhooks.ts) or leave them for reconciliation
// to find; it records every request, and can be told to answer 500 or never answer. Just over 400
// lines: one account's state (sessions, intents, subscriptions, invoices, events) and the endpoints
// that read it stay in one place, so that what a test does and what the API then lists agree.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { closeServer, listenLocally } from './local-server.js';

export interface StripeRequest {
  method: string;
  path: string;
  /** The form body (POST) or the query (GET), brackets unfolded: `line_items[0][quantity]` is `line_items[0].quantity`. */
  params: Record<string, unknown>;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
}

export type StripeObject = Record<string, unknown> & { id: string };
export type StripeEvent = StripeObject & { type: string; created: number; data: { object: StripeObject } };

const DAY_S = 86_400;

export class FakeStripe {
  readonly requests: StripeRequest[] = [];
  /** Newest last. */
  readonly events: StripeEvent[] = [];
  readonly sessions = new Map<string, StripeObject>();
  readonly subscriptions = new Map<string, StripeObject>();
  /** Payment intents by id: what they were paid, and their charge. */
  private readonly intents = new Map<string, { amount: number; currency: string; charge: string; refunded: number }>();
  private readonly invoiceIntents = new Map<string, string>();
  /** What a subscription session asked for, which Stripe keeps on its price and subscription_data. */
  private readonly plans = new Map<string, { days: number; metadata: unknown }>();
  /** `error`: every request is answered 500; `hang`: none is answered. */
  outage: 'error' | 'hang' | undefined;
  private server: Server | undefined;
  private serial = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) =>
        send(response, 500, { error: { type: 'api_error', message: `fake Stripe failed: ${String(error)}` } }),
      );
    });
    this.url = await listenLocally(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }

  /** Forgets events and requests (not sessions or subscriptions): for tests that count them. */
  reset(): void {
    this.events.length = 0;
    this.requests.length = 0;
    this.outage = undefined;
  }

  requestsTo(method: string, path: string): StripeRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  /**
   * The customer paid the session: for a subscription, Stripe also makes the subscription and pays
   * its first invoice (`invoice.paid`, billing_reason subscription_create), events returned in the
   * order Stripe sends them.
   */
  complete(sessionId: string): { completed: StripeEvent; firstInvoice?: StripeEvent } {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`fake Stripe: no session ${sessionId}`);
    const amount = session.amount_total as number;
    const currency = session.currency as string;
    if (session.mode === 'subscription') {
      const subscription = this.subscription(session);
      const invoice = this.invoice(subscription, 'subscription_create', amount, currency);
      Object.assign(session, { subscription: subscription.id, invoice: invoice.id });
      Object.assign(session, { status: 'complete', payment_status: 'paid' });
      const completed = this.event('checkout.session.completed', session);
      return { completed, firstInvoice: this.event('invoice.paid', invoice) };
    }
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      payment_intent: this.intent(amount, currency),
    });
    return { completed: this.event('checkout.session.completed', session) };
  }

  expire(sessionId: string): StripeEvent {
    const session = this.sessions.get(sessionId) as StripeObject;
    session.status = 'expired';
    return this.event('checkout.session.expired', session);
  }

  /** The subscription's next period is paid: `invoice.paid` with billing_reason subscription_cycle. */
  renew(subscriptionId: string): StripeEvent {
    const subscription = this.subscriptions.get(subscriptionId) as StripeObject;
    const item = itemOf(subscription);
    const days = (item.current_period_end - item.current_period_start) / DAY_S;
    item.current_period_start = item.current_period_end;
    item.current_period_end += days * DAY_S;
    const session = [...this.sessions.values()].find((candidate) => candidate.subscription === subscriptionId);
    const invoice = this.invoice(
      subscription,
      'subscription_cycle',
      session?.amount_total as number,
      session?.currency as string,
    );
    return this.event('invoice.paid', invoice);
  }

  /** The customer cancels: at the end of the period paid for (an update), or now (a deletion). */
  cancel(subscriptionId: string, atPeriodEnd: boolean): StripeEvent {
    const subscription = this.subscriptions.get(subscriptionId) as StripeObject;
    const now = Math.floor(Date.now() / 1000);
    if (atPeriodEnd) {
      Object.assign(subscription, {
        cancel_at_period_end: true,
        cancel_at: itemOf(subscription).current_period_end,
        canceled_at: now,
      });
      return this.event('customer.subscription.updated', subscription);
    }
    Object.assign(subscription, { status: 'canceled', canceled_at: now, ended_at: now });
    return this.event('customer.subscription.deleted', subscription);
  }

  /** A refund (from the dashboard, or asked through the API) of `amount` more: `charge.refunded`. */
  refund(paymentIntent: string, amount: number): StripeEvent {
    const intent = this.intents.get(paymentIntent);
    if (!intent) throw new Error(`fake Stripe: no payment intent ${paymentIntent}`);
    intent.refunded += amount;
    return this.event('charge.refunded', {
      id: intent.charge,
      object: 'charge',
      amount: intent.amount,
      amount_refunded: intent.refunded,
      currency: intent.currency,
      payment_intent: paymentIntent,
      refunded: intent.refunded >= intent.amount,
    });
  }

  /** Any event, for objects OMNICore did not make. */
  event(type: string, object: StripeObject): StripeEvent {
    const event = {
      id: this.id('evt'),
      object: 'event',
      api_version: Stripe.API_VERSION,
      created: Math.floor(Date.now() / 1000),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    return event;
  }

  private id(prefix: string): string {
    return `${prefix}_test_${(++this.serial).toString().padStart(6, '0')}`;
  }

  private intent(amount: number, currency: string): string {
    const id = this.id('pi');
    this.intents.set(id, { amount, currency, charge: this.id('ch'), refunded: 0 });
    return id;
  }

  private subscription(session: StripeObject): StripeObject {
    const now = Math.floor(Date.now() / 1000);
    const { days, metadata } = this.plans.get(session.id) ?? { days: 30, metadata: {} };
    const subscription: StripeObject = {
      id: this.id('sub'),
      object: 'subscription',
      status: 'active',
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      ended_at: null,
      currency: session.currency,
      metadata,
      items: {
        object: 'list',
        data: [
          {
            id: this.id('si'),
            object: 'subscription_item',
            current_period_start: now,
            current_period_end: now + days * DAY_S,
          },
        ],
      },
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  private invoice(subscription: StripeObject, reason: string, amount: number, currency: string): StripeObject {
    const id = this.id('in');
    this.invoiceIntents.set(id, this.intent(amount, currency));
    return {
      id,
      object: 'invoice',
      billing_reason: reason,
      amount_paid: amount,
      currency,
      status: 'paid',
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { subscription: subscription.id, metadata: subscription.metadata },
      },
    };
  }

  /** The charge of a payment intent. */
  chargeOf(paymentIntent: string): string | undefined {
    return this.intents.get(paymentIntent)?.charge;
  }

  /** The payment intent that paid an invoice. */
  intentOf(invoiceId: string): string | undefined {
    return this.invoiceIntents.get(invoiceId);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    const form = request.method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString('utf8');
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    this.requests.push({
      method: request.method ?? '',
      path: url.pathname,
      params: unfold(form),
      authorization: header('authorization'),
      idempotencyKey: header('idempotency-key'),
    });
    if (this.outage === 'hang') return;
    if (this.outage === 'error') {
      send(response, 500, { error: { type: 'api_error', message: 'An unknown error occurred' } });
      return;
    }
    const params = (this.requests.at(-1) as StripeRequest).params;
    const route = `${request.method} ${url.pathname}`;
    if (route === 'POST /v1/checkout/sessions') send(response, 200, this.createSession(params));
    else if (route === 'POST /v1/refunds') this.createRefund(params, response);
    else if (route === 'GET /v1/invoice_payments') send(response, 200, this.invoicePayments(params));
    else if (route === 'GET /v1/events') send(response, 200, this.listEvents(params));
    // The platform's health check of Stripe.
    else if (route === 'GET /v1/balance')
      send(response, 200, { object: 'balance', available: [], pending: [], livemode: false });
    else
      send(response, 404, {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${route})` },
      });
  }

  private createSession(params: Record<string, unknown>): StripeObject {
    const items = params.line_items as { quantity: string; price_data: Record<string, unknown> }[];
    const price = items[0]?.price_data as {
      unit_amount: string;
      currency: string;
      recurring?: { interval: string; interval_count: string };
    };
    const id = this.id('cs');
    const session: StripeObject = {
      id,
      object: 'checkout.session',
      mode: params.mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_total: Number(price.unit_amount) * Number(items[0]?.quantity ?? 1),
      currency: price.currency,
      client_reference_id: params.client_reference_id ?? null,
      metadata: params.metadata ?? {},
      payment_intent: null,
      subscription: null,
      invoice: null,
      success_url: params.success_url ?? null,
      cancel_url: params.cancel_url ?? null,
      url: `https://checkout.stripe.test/c/pay/${id}`,
      created: Math.floor(Date.now() / 1000),
      expires_at: Math.floor(Date.now() / 1000) + DAY_S,
      livemode: false,
    };
    this.sessions.set(id, session);
    if (price.recurring) {
      this.plans.set(id, {
        days: Number(price.recurring.interval_count),
        metadata: (params.subscription_data as { metadata?: unknown } | undefined)?.metadata ?? {},
      });
    }
    return session;
  }

  private createRefund(params: Record<string, unknown>, response: ServerResponse): void {
    const byCharge = [...this.intents].find(([, intent]) => intent.charge === params.charge)?.[0];
    const intentId = (params.payment_intent as string | undefined) ?? byCharge;
    const intent = intentId ? this.intents.get(intentId) : undefined;
    const amount = params.amount === undefined ? undefined : Number(params.amount);
    if (!intentId || !intent) {
      send(response, 400, {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such payment_intent: '${intentId}'`,
        },
      });
      return;
    }
    const left = intent.amount - intent.refunded;
    if ((amount ?? left) > left) {
      send(response, 400, {
        error: {
          type: 'invalid_request_error',
          code: 'charge_already_refunded',
          message: 'Charge has already been refunded.',
        },
      });
      return;
    }
    this.refund(intentId, amount ?? left);
    send(response, 200, {
      id: this.id('re'),
      object: 'refund',
      amount: amount ?? left,
      charge: intent.charge,
      payment_intent: intentId,
      currency: intent.currency,
      status: 'succeeded',
    });
  }

  private invoicePayments(params: Record<string, unknown>): Record<string, unknown> {
    const intent = this.invoiceIntents.get(params.invoice as string);
    const data = intent
      ? [
          {
            id: this.id('inpay'),
            object: 'invoice_payment',
            invoice: params.invoice,
            status: 'paid',
            is_default: true,
            payment: { type: 'payment_intent', payment_intent: intent },
          },
        ]
      : [];
    return { object: 'list', data, has_more: false, url: '/v1/invoice_payments' };
  }

  /** Newest first, `limit` a page, the next page after `starting_after`, as Stripe lists. */
  private listEvents(params: Record<string, unknown>): Record<string, unknown> {
    const since = Number((params.created as { gte?: string } | undefined)?.gte ?? 0);
    const types = params.types as string[] | undefined;
    const limit = Number(params.limit ?? 10);
    let listed = [...this.events]
      .reverse()
      .filter((event) => event.created >= since && (!types || types.includes(event.type)));
    if (typeof params.starting_after === 'string') {
      listed = listed.slice(listed.findIndex((event) => event.id === params.starting_after) + 1);
    }
    return { object: 'list', data: listed.slice(0, limit), has_more: listed.length > limit, url: '/v1/events' };
  }
}

interface SubscriptionItem {
  current_period_start: number;
  current_period_end: number;
}

function itemOf(subscription: StripeObject): SubscriptionItem {
  return (subscription.items as { data: SubscriptionItem[] }).data[0] as SubscriptionItem;
}

/** `a[b][0][c]=x` pairs as `{ a: { b: [{ c: 'x' }] } }`. */
function unfold(form: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(form)) {
    const path = key.replace(/]/g, '').split('[');
    let node = root;
    for (const [index, part] of path.entries()) {
      if (index === path.length - 1) {
        node[part] = value;
      } else {
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    }
  }
  return arrays(root) as Record<string, unknown>;
}

function arrays(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([key, inner]) => [key, arrays(inner)] as const);
  const indexed = entries.length > 0 && entries.every(([key], index) => key === String(index));
  return indexed ? entries.map(([, inner]) => inner) : Object.fromEntries(entries);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake_${Date.now()}` });
  response.end(JSON.stringify(body));
}
