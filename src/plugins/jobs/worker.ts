// Runs one plugin's jobs in this process while the plugin is on: claims due jobs of the kinds its
// setup defined (each kind up to its concurrency), runs each attempt, records how it ended. Woken at
// once by an enqueue here; otherwise it looks every pollMs, or at the next run_at when sooner.
import type { Counter } from 'prom-client';
import type { Logger } from '../../config/logger.js';
import { sleep } from '../../lib/sleep.js';
import { outcomeOf, runHandler } from './attempt.js';
import type { JobKind } from './kinds.js';
import { type JobRow, type JobStore, jobInfo } from './store.js';

/** How long a claim outlives an attempt's timeout: the time to record its outcome. */
const CLAIM_GRACE_MS = 30_000;
/** Never look again sooner than this, so a job another worker holds cannot spin the loop. */
const MIN_WAIT_MS = 20;

export interface JobWorkerOptions {
  plugin: string;
  store: JobStore;
  kinds: ReadonlyMap<string, JobKind>;
  log: Logger;
  /** Runs the plugin's own code (onFailed) inside its error boundary. */
  guard: (fn: () => unknown) => Promise<void>;
  /** omnicore_plugin_jobs_attempts_total. */
  attempts?: Counter<'plugin' | 'kind' | 'outcome'>;
  pollMs?: number;
  /** How long stop() waits for running attempts once their signals are aborted. */
  stopGraceMs?: number;
}

interface Attempt {
  readonly controller: AbortController;
  done?: Promise<void>;
}

export class JobWorker {
  private stopping = false;
  private wakeUp = new AbortController();
  private readonly running = new Map<string, Set<Attempt>>();
  private readonly loop: Promise<void>;

  constructor(private readonly options: JobWorkerOptions) {
    for (const kind of options.kinds.keys()) this.running.set(kind, new Set());
    this.loop = this.cycle();
  }

  /** Looks for due jobs now (one was just queued, or an attempt ended). */
  wake(): void {
    this.wakeUp.abort();
  }

  /** Claims no more, aborts the running attempts' signals and waits for them a little. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.loop;
    const attempts = [...this.running.values()].flatMap((set) => [...set]);
    for (const attempt of attempts) attempt.controller.abort(new Error('the plugin stopped'));
    await Promise.race([
      Promise.allSettled(attempts.map((attempt) => attempt.done)),
      sleep(this.options.stopGraceMs ?? 2000),
    ]);
  }

  private async cycle(): Promise<void> {
    const { store, log, plugin, pollMs = 1000 } = this.options;
    while (!this.stopping) {
      this.wakeUp = new AbortController();
      let next: number | undefined;
      try {
        await this.claimDue();
        next = await store.nextRunAt(this.kindsWithRoom());
      } catch (error) {
        log.warn({ plugin, err: error }, 'could not look for due jobs');
      }
      const wait = next === undefined ? pollMs : Math.min(Math.max(next - Date.now(), MIN_WAIT_MS), pollMs);
      await sleep(wait, this.wakeUp.signal);
    }
  }

  private kindsWithRoom(): string[] {
    return [...this.options.kinds]
      .filter(([kind, { concurrency }]) => this.slots(kind).size < concurrency)
      .map(([kind]) => kind);
  }

  private slots(kind: string): Set<Attempt> {
    return this.running.get(kind) as Set<Attempt>;
  }

  private async claimDue(): Promise<void> {
    for (const [name, kind] of this.options.kinds) {
      const slots = this.slots(name);
      while (!this.stopping && slots.size < kind.concurrency) {
        const row = await this.options.store.claim(name, Date.now() + kind.timeoutMs + CLAIM_GRACE_MS);
        if (!row) break;
        const attempt: Attempt = { controller: new AbortController() };
        slots.add(attempt);
        attempt.done = this.attempt(kind, row, attempt.controller)
          .catch((error: unknown) =>
            this.options.log.warn(
              { plugin: this.options.plugin, job: row.id, err: error },
              'could not record a job attempt',
            ),
          )
          .finally(() => {
            slots.delete(attempt);
            this.wake();
          });
      }
    }
  }

  private async attempt(kind: JobKind, row: JobRow, controller: AbortController): Promise<void> {
    const { store, log, plugin } = this.options;
    // Its last attempt was claimed by a process that died: no more attempts.
    const outcome =
      row.attempts > row.max_attempts
        ? { status: 'failed' as const, error: 'its last attempt stopped with its process' }
        : outcomeOf(kind, row, await runHandler(kind, row, store, controller), this.stopping);
    const recorded = await store.finish(row.id, row.attempts, outcome);
    if (!recorded) return;
    const label =
      outcome.status === 'done'
        ? 'done'
        : outcome.status === 'failed'
          ? 'failed'
          : this.stopping
            ? 'released'
            : 'retried';
    this.options.attempts?.inc({ plugin, kind: row.kind, outcome: label });
    if (outcome.status !== 'done') {
      log.warn(
        { plugin, kind: row.kind, job: row.id, attempt: row.attempts, outcome: label },
        `job attempt failed: ${outcome.error}`,
      );
    }
    const { onFailed } = kind;
    if (recorded.status === 'failed' && onFailed) await this.options.guard(() => onFailed(jobInfo(recorded)));
  }
}
