// POST /payments/<provider>/webhook: a configured provider's events, verified by the provider on the
// raw body (nothing is parsed before that), then recorded in the ledger, once each, before 200. No
// call to the provider is made here. A bad signature is answered 400, counted, and summarised into
// `signature_failure` security events; a signed payment for an invoice we never opened is answered 200
// (the provider would retry) and recorded as a `payment_unknown_invoice` security event.
import type { FastifyInstance } from 'fastify';
import type { PlatformMetrics } from '../../core/metrics.js';
import { OmniError } from '../../errors.js';
import type { SecurityEventSink } from '../../ops/security/security-events.js';
import type { Payments } from '../../payments/payments.js';
import type { ProviderEvent } from '../../payments/provider.js';
import { ForgeryReport } from './forgery-report.js';

/** Stripe's events are a few kilobytes; its largest (an invoice with its lines) stay well below. */
export const PAYMENT_WEBHOOK_BODY_LIMIT = 512 * 1024;

export interface PaymentWebhookOptions {
  payments: Payments;
  metrics: PlatformMetrics;
  securityEvents: SecurityEventSink;
  /** How long signature failures are counted into one event per address (FORGERY_WINDOW_MS). */
  forgeryWindowMs: number;
}

export async function paymentWebhookRoutes(app: FastifyInstance, options: PaymentWebhookOptions): Promise<void> {
  const { payments, metrics } = options;
  // This plugin's own parsers: every body stays the Buffer that was signed.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const failures = new ForgeryReport<string>({
    events: options.securityEvents,
    log: app.log,
    type: 'signature_failure',
    detail: (provider) => ({ provider }),
    warning: 'payment webhook with a missing, wrong or stale signature',
    windowMs: options.forgeryWindowMs,
    maxAddresses: 10_000,
  });
  failures.start();
  app.addHook('onClose', async () => failures.stop());

  app.post<{ Params: { provider: string } }>('/payments/:provider/webhook', {
    helmet: false,
    bodyLimit: PAYMENT_WEBHOOK_BODY_LIMIT,
    // Before the body is read: an unknown provider's is not.
    onRequest: async (request) => {
      if (!payments.provider(request.params.provider)?.webhook) {
        throw new OmniError('OMNI_NOT_FOUND', `no payment provider "${request.params.provider}" takes webhooks`);
      }
    },
    handler: async (request) => {
      const provider = payments.provider(request.params.provider);
      if (!provider?.webhook) throw new OmniError('OMNI_NOT_FOUND');
      // No body is no signature either: the provider refuses it like any other.
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let events: ProviderEvent[];
      try {
        events = await provider.webhook(body, request.headers);
      } catch (error) {
        if (error instanceof OmniError && error.code === 'PAYMENT_WEBHOOK_SIGNATURE') {
          metrics.paymentSignatureFailures.inc({ provider: provider.id });
          failures.add(request.ip, provider.id);
        } else if (error instanceof OmniError && error.code === 'PAYMENT_EVENT_INVALID') {
          // Signed by the provider, yet unreadable: its API changed under us, and someone must look.
          request.log.error({ err: error, provider: provider.id }, 'a payment webhook could not be read');
        }
        throw error;
      }
      const unknown: ProviderEvent[] = [];
      try {
        for (const event of events) if ((await payments.record(event)).unknown) unknown.push(event);
      } catch (error) {
        // The provider sends it again later; reconciliation would find it too.
        request.log.error({ err: error, provider: provider.id }, 'could not record a payment event');
        throw new OmniError('OMNI_STORAGE_UNAVAILABLE');
      }
      for (const event of unknown) {
        // Signed, so not forged: an invoice made elsewhere on the same account, or lost here (a restore).
        const invoice = event.change && 'providerId' in event.change ? event.change.providerId : null;
        request.log.warn({ provider: provider.id, invoice }, 'a payment webhook names an invoice we never opened');
        options.securityEvents.record({
          type: 'payment_unknown_invoice',
          ip: request.ip,
          detail: { provider: provider.id, invoice, event: event.eventId },
        });
      }
      return { received: true };
    },
  });
}
