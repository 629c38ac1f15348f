// Runs every configured health check on an interval (setting `health.intervalSeconds`), each with a
// time limit, keeps the latest result per check, stores all of them in `health_checks` as this
// instance's history (kept `health.retentionDays`) and tells subscribers of each round.
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { Logger } from '../../config/logger.js';
import type { Database } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { type Repetition, repeat } from '../../lib/repeat.js';
import type { HealthCheck, HealthResult } from './health-check.js';

export interface HealthMonitorOptions {
  db: Kysely<Database>;
  checks: readonly HealthCheck[];
  settings: SettingsStore;
  log: Logger;
  /** How long one check may take before it counts as failed (5 s). */
  timeoutMs?: number;
  /** This instance: its results are stored as its own, and its history is read back. */
  instance?: string;
  now?: () => number;
}

export type HealthListener = (results: readonly HealthResult[]) => void;

const DAY_MS = 24 * 60 * 60 * 1000;

export class HealthMonitor {
  private readonly latestByName = new Map<string, HealthResult>();
  private readonly listeners = new Set<HealthListener>();
  private readonly now: () => number;
  private rounds: Repetition | undefined;

  constructor(private readonly options: HealthMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.rounds = repeat(() => this.runAll(), {
      every: () => this.options.settings.get('health.intervalSeconds') * 1000,
      onError: (error) => this.options.log.warn({ err: error }, 'health checks could not be stored'),
    });
  }

  async stop(): Promise<void> {
    await this.rounds?.stop();
  }

  /** One round: every check at once, results stored and published, old history purged. */
  async runAll(): Promise<HealthResult[]> {
    const results = await Promise.all(this.options.checks.map((check) => this.runOne(check)));
    for (const result of results) this.latestByName.set(result.name, result);
    if (results.length > 0) {
      await this.options.db
        .insertInto('health_checks')
        .values(
          results.map((result) => ({
            name: result.name,
            ok: result.ok ? 1 : 0,
            latency_ms: result.latencyMs,
            error: result.error ?? null,
            at: result.at,
            instance: this.options.instance ?? '',
          })),
        )
        .execute();
    }
    for (const listener of this.listeners) {
      try {
        listener(results);
      } catch (error) {
        this.options.log.warn({ err: error }, 'health listener failed');
      }
    }
    const cutOff = this.now() - this.options.settings.get('health.retentionDays') * DAY_MS;
    await this.options.db.deleteFrom('health_checks').where('at', '<', cutOff).execute();
    return results;
  }

  /** The newest result of every check that has run. */
  latest(): HealthResult[] {
    return [...this.latestByName.values()];
  }

  /** Stored results of one check on this instance in [from, to], oldest first. */
  async history(name: string, from: number, to: number): Promise<HealthResult[]> {
    const critical = this.options.checks.find((check) => check.name === name)?.critical ?? false;
    const rows = await this.options.db
      .selectFrom('health_checks')
      .selectAll()
      .where('name', '=', name)
      .where('instance', '=', this.options.instance ?? '')
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at')
      .execute();
    return rows.map((row) => ({
      name: row.name,
      critical,
      ok: row.ok === 1,
      latencyMs: Number(row.latency_ms),
      ...(row.error === null ? {} : { error: row.error }),
      at: Number(row.at),
    }));
  }

  subscribe(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async runOne(check: HealthCheck): Promise<HealthResult> {
    const at = this.now();
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const started = performance.now();
    try {
      // A check that ignores its signal (a stuck database call) still loses the race.
      await Promise.race([
        check.run(abort.signal),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            abort.abort();
            reject(new Error(`no answer within ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
      return { name: check.name, critical: check.critical, ok: true, latencyMs: performance.now() - started, at };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        name: check.name,
        critical: check.critical,
        ok: false,
        latencyMs: performance.now() - started,
        error: reason.slice(0, 500),
        at,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
