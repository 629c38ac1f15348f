// Prometheus metrics of one platform instance, on a registry of its own so that several instances
// (tests, the benchmark) can live in one process without sharing counters. Every series carries the
// instance's id as `instance_id`, so that several instances behind one scrape stay apart.
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface PlatformMetrics {
  readonly registry: Registry;
  readonly updatesReceived: Counter<'source'>;
  readonly updatesDuplicate: Counter<'source'>;
  readonly updatesHeld: Counter<'source'>;
  readonly updatesHandled: Counter;
  /** Plain messages the local conversation engine answered, by whether it was sure (`sure`: yes, no). */
  readonly conversationAnswers: Counter<'sure'>;
  readonly updatesFailed: Counter<'final'>;
  readonly updatesDropped: Counter<'reason'>;
  readonly updatesAbandoned: Counter<'reason'>;
  readonly updatesUndeliverable: Counter<'reason'>;
  readonly updatesConflicting: Counter<'source'>;
  readonly handlerDuration: Histogram;
  readonly outgoingCalls: Counter<'method' | 'outcome'>;
  readonly rateLimited: Counter<'method'>;
  readonly webhookForgeries: Counter;
  readonly paymentSignatureFailures: Counter<'provider'>;
  readonly securityDrops: Counter<'reason'>;
  readonly pluginJobAttempts: Counter<'plugin' | 'kind' | 'outcome'>;
}

export function createMetrics(instanceId?: string): PlatformMetrics {
  const registry = new Registry();
  if (instanceId) registry.setDefaultLabels({ instance_id: instanceId });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    updatesReceived: new Counter({
      name: 'omnicore_updates_received_total',
      help: 'Updates stored in the inbox, by source (webhook, polling)',
      labelNames: ['source'],
      registers: [registry],
    }),
    updatesDuplicate: new Counter({
      name: 'omnicore_updates_duplicate_total',
      help: 'Updates received again after they were already stored; acknowledged and not handled again',
      labelNames: ['source'],
      registers: [registry],
    }),
    updatesHeld: new Counter({
      name: 'omnicore_updates_held_total',
      help: 'Updates whose acknowledgement waited because more chats were waiting for a handler than there are handlers: back-pressure on Telegram',
      labelNames: ['source'],
      registers: [registry],
    }),
    updatesHandled: new Counter({
      name: 'omnicore_updates_handled_total',
      help: 'Updates handled successfully',
      registers: [registry],
    }),
    conversationAnswers: new Counter({
      name: 'omnicore_conversation_answers_total',
      help: 'Plain messages the local conversation engine answered; sure="no" when it said it was not sure',
      labelNames: ['sure'],
      registers: [registry],
    }),
    updatesFailed: new Counter({
      name: 'omnicore_updates_failed_total',
      help: 'Handler failures; final="true" when the update was given up on after its last attempt',
      labelNames: ['final'],
      registers: [registry],
    }),
    updatesDropped: new Counter({
      name: 'omnicore_updates_dropped_total',
      help: 'Stored updates never handled, by reason (chat_backlog_full; from the security layer: banned, rate_limited, burst, repeat, links, mentions, pattern)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    updatesAbandoned: new Counter({
      name: 'omnicore_updates_abandoned_total',
      help: 'Handlings given up on while their code still ran, by reason (deadline, plugin_disabled)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    updatesUndeliverable: new Counter({
      name: 'omnicore_updates_undeliverable_total',
      help: 'Updates given up on at once because Telegram refused their reply for good, by reason (blocked, chat_not_found, message_not_found, not_enough_rights, …); not retried, no apology',
      labelNames: ['reason'],
      registers: [registry],
    }),
    updatesConflicting: new Counter({
      name: 'omnicore_updates_conflicting_total',
      help: 'Updates whose update_id was already stored with different content (a Bot API server that restarted its numbering); stored anew and handled, never dropped silently',
      labelNames: ['source'],
      registers: [registry],
    }),
    handlerDuration: new Histogram({
      name: 'omnicore_handler_duration_seconds',
      help: 'Time to handle one update, from dispatch to completion',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    outgoingCalls: new Counter({
      name: 'omnicore_bot_api_calls_total',
      help: 'Bot API calls made while handling updates, by method and outcome (ok, error, replayed)',
      labelNames: ['method', 'outcome'],
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'omnicore_bot_api_rate_limited_total',
      help: 'Bot API answers of 429 Too Many Requests (each retried after retry_after), by method',
      labelNames: ['method'],
      registers: [registry],
    }),
    webhookForgeries: new Counter({
      name: 'omnicore_webhook_forgeries_total',
      help: 'Webhook calls refused for a missing or wrong secret token',
      registers: [registry],
    }),
    paymentSignatureFailures: new Counter({
      name: 'omnicore_payment_webhook_signature_failures_total',
      help: 'Payment webhook calls refused for a missing, wrong or stale signature, by provider',
      labelNames: ['provider'],
      registers: [registry],
    }),
    securityDrops: new Counter({
      name: 'omnicore_security_dropped_total',
      help: 'Updates the security layer dropped, by reason (banned, rate_limited, burst, repeat, links, mentions, pattern)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    pluginJobAttempts: new Counter({
      name: 'omnicore_plugin_jobs_attempts_total',
      help: "Plugins' job attempts ended, by plugin, kind and outcome (done; retried: queued again after a failure; failed: for good; released: cut short by the plugin stopping)",
      labelNames: ['plugin', 'kind', 'outcome'],
      registers: [registry],
    }),
  };
}
