// The Fastify application: security headers, body and time limits, one error shape, and the route
// modules. It holds no logic of its own; each route file does one job.
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, LogController } from 'fastify';
import { ZodError } from 'zod';
import type { TelegramEmulator } from '../bot/emulator/emulator.js';
import { EMULATOR_PREFIX, emulatorRoutes } from '../bot/emulator/routes.js';
import type { UpdateSink } from '../bot/intake.js';
import { WEBHOOK_ROUTE } from '../bot/webhook-setup.js';
import type { Logger } from '../config/logger.js';
import type { PlatformMetrics } from '../core/metrics.js';
import { clientError, OmniError } from '../errors.js';
import type { HealthResult } from '../ops/health/health-check.js';
import type { SecurityEventSink } from '../ops/security/security-events.js';
import type { Payments } from '../payments/payments.js';
import { adminPanel } from './admin/admin-panel.js';
import type { AdminServices } from './admin/services.js';
import { invalidInput, zodValidatorCompiler } from './route-schemas.js';
import { FORGERY_WINDOW_MS, type ForgeryKind, ForgeryReport } from './routes/forgery-report.js';
import { healthRoutes, type ReadinessChecks } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { paymentWebhookRoutes } from './routes/payment-webhooks.js';
import { type PluginRouteLookup, pluginRoutes } from './routes/plugin-routes.js';
import { webhookRoutes } from './routes/webhook.js';

export interface WebAppOptions {
  logger: Logger;
  trustProxy: number;
  metrics: PlatformMetrics;
  readiness: ReadinessChecks;
  /** databaseIdentity() of the database this server works on; shown on /readyz. */
  database: string;
  /** This instance's id; shown on /readyz. */
  instance?: string;
  /** Latest results of the informational health checks, shown on /readyz. */
  healthServices?: () => readonly HealthResult[];
  intake: UpdateSink;
  webhookSecret: string;
  /** Where forged webhook calls are recorded. */
  securityEvents: SecurityEventSink;
  /** How long forged webhook calls are counted into one event per address (FORGERY_WINDOW_MS). */
  forgeryWindowMs?: number;
  /** Present in emulator mode: its Bot API and chat routes are mounted under /emulator. */
  emulator?: TelegramEmulator;
  /** Updates from a chat stored but not handled yet; the emulator's chat routes report them. */
  unhandledIn: (chatKey: string) => Promise<number>;
  /** The handler of an active plugin's route, if any (see routes/plugin-routes.ts). */
  pluginRoute: PluginRouteLookup;
  /** True once shutdown began: new updates are refused with 503 so that Telegram resends them. */
  isClosing: () => boolean;
  /** The admin panel's services; the panel is mounted under /admin and /api/admin. */
  admin: AdminServices;
  /** Payment providers' webhooks (POST /payments/<provider>/webhook) land in its ledger. */
  payments: Payments;
}

/**
 * Limits on every route: body size, time to receive a request, time to answer it (the emulator's
 * longest getUpdates poll is 50 s), and the life of an idle connection. A route may lower them.
 * The webhook alone has no handler timeout: its handler is one insert, and the AbortController
 * Fastify makes per request for it cost a tenth of the platform's CPU per update; the idle
 * connection limit still bounds it.
 */
export const WEB_LIMITS = {
  bodyLimit: 1024 * 1024,
  requestTimeout: 60_000,
  handlerTimeout: 60_000,
  connectionTimeout: 70_000,
} as const;

export async function buildWebApp(options: WebAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger.child({ module: 'web' }) as FastifyBaseLogger,
    // One line per request would cost more than handling an update; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Trust exactly the configured number of proxy hops in X-Forwarded-For, no more.
    trustProxy: (_address: string, hop: number) => hop < options.trustProxy,
    bodyLimit: WEB_LIMITS.bodyLimit,
    requestTimeout: WEB_LIMITS.requestTimeout,
    connectionTimeout: WEB_LIMITS.connectionTimeout,
    // A URL Fastify cannot route (malformed percent-encoding) is refused before any route runs:
    // answered in the same shape as every other error.
    frameworkErrors: (error, _request, reply) => {
      const omni = toOmniError(error);
      // Typed before any route schema exists: the reply is the plain one every route gets.
      void (reply as FastifyReply).code(omni.statusCode).send(omni.toJSON());
    },
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.addHook('onRoute', (route) => {
    if (route.url !== WEBHOOK_ROUTE) route.handlerTimeout ??= WEB_LIMITS.handlerTimeout;
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      // Operators often reach the panel over plain HTTP on a LAN address; upgrading its requests
      // to HTTPS there would break every asset.
      directives: { upgradeInsecureRequests: null },
    },
  });
  app.setErrorHandler((error, request, reply) => {
    const omni = toOmniError(error);
    if (omni.statusCode >= 500) request.log.error({ err: error, url: request.url }, 'request failed');
    return reply.code(omni.statusCode).send(omni.toJSON());
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(new OmniError('OMNI_NOT_FOUND').toJSON()));

  const forgeries = new ForgeryReport<ForgeryKind>({
    events: options.securityEvents,
    log: app.log,
    type: 'webhook_forgery',
    detail: (kind) => ({ secret: kind }),
    warning: 'webhook call with a missing or wrong secret token',
    windowMs: options.forgeryWindowMs ?? FORGERY_WINDOW_MS,
    maxAddresses: 10_000,
  });
  forgeries.start();
  app.addHook('onClose', async () => forgeries.stop());

  await app.register(healthRoutes, {
    metrics: options.metrics,
    readiness: options.readiness,
    database: options.database,
    ...(options.instance ? { instance: options.instance } : {}),
    ...(options.healthServices ? { services: options.healthServices } : {}),
  });
  await app.register(metricsRoutes, { metrics: options.metrics });
  await app.register(webhookRoutes, {
    intake: options.intake,
    secret: options.webhookSecret,
    isClosing: options.isClosing,
    onForgery: (ip, kind) => {
      options.metrics.webhookForgeries.inc();
      forgeries.add(ip, kind);
    },
  });
  await app.register(paymentWebhookRoutes, {
    payments: options.payments,
    metrics: options.metrics,
    securityEvents: options.securityEvents,
    forgeryWindowMs: options.forgeryWindowMs ?? FORGERY_WINDOW_MS,
  });
  await app.register(pluginRoutes, { lookup: options.pluginRoute });
  await app.register(adminPanel, options.admin);
  if (options.emulator) {
    await app.register(emulatorRoutes, {
      prefix: EMULATOR_PREFIX,
      emulator: options.emulator,
      unhandledIn: options.unhandledIn,
    });
  }
  return app;
}

/**
 * Maps Fastify's own errors into the catalogue. A client error keeps its status (one without a
 * code of its own becomes OMNI_REQUEST_REFUSED with it); anything else is internal.
 */
function toOmniError(error: unknown): OmniError {
  if (error instanceof OmniError) return error;
  // Input a page handler checked with zod's parse() itself, rather than with a route schema.
  if (error instanceof ZodError) return invalidInput(error);
  const { statusCode, code, message } = error as { statusCode?: number; code?: string; message?: string };
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new OmniError('OMNI_BODY_TOO_LARGE');
  if (code === 'FST_ERR_HANDLER_TIMEOUT') return new OmniError('OMNI_TIMEOUT');
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    return clientError(statusCode, message);
  }
  return new OmniError('OMNI_INTERNAL');
}
