// Liveness (/healthz: the process answers) and readiness (/readyz: every critical check passes).
import type { FastifyInstance } from 'fastify';
import type { PlatformMetrics } from '../../core/metrics.js';
import type { HealthResult } from '../../ops/health/health-check.js';

/** Named checks; each resolves when healthy and throws with the reason when not. */
export type ReadinessChecks = Record<string, () => Promise<void>>;

const CHECK_TIMEOUT_MS = 2000;

export async function healthRoutes(
  app: FastifyInstance,
  options: {
    metrics: PlatformMetrics;
    readiness: ReadinessChecks;
    /** The latest results of the non-critical checks (outside services): reported, never decisive. */
    services?: () => readonly HealthResult[];
    /** databaseIdentity() of the database this server works on. */
    database: string;
    /** This instance's id (db/instance-id.ts). */
    instance?: string;
  },
): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const checks = await runChecks(options.readiness);
    const ready = Object.values(checks).every((result) => result.ok);
    const services = Object.fromEntries(
      (options.services?.() ?? []).map(({ name, ok, latencyMs, error, at }) => [
        name,
        { ok, latencyMs: Math.round(latencyMs), at, ...(error ? { error } : {}) },
      ]),
    );
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'unavailable',
      database: options.database,
      ...(options.instance ? { instance: options.instance } : {}),
      checks,
      services,
    });
  });
}

export type CheckResults = Record<string, { ok: boolean; error?: string }>;

/** Runs every check at once, each bounded in time. */
export async function runChecks(checks: ReadinessChecks): Promise<CheckResults> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), CHECK_TIMEOUT_MS);
        return [name, { ok: true }] as const;
      } catch (error) {
        return [name, { ok: false, error: error instanceof Error ? error.message : String(error) }] as const;
      }
    }),
  );
  return Object.fromEntries(entries);
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
