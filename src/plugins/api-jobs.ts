// The public plugin API's handles for work outside an update (part of `omnicore/plugin`): a durable
// job queue of the plugin's own, encrypted secrets, and the outside services the operator set up by
// environment. Each is scoped to the plugin that holds it.

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A job as the queue keeps it. */
export interface JobInfo<P = unknown> {
  id: string;
  kind: string;
  /** The key it was queued with (see EnqueueOptions.key), or null. */
  key: string | null;
  payload: P;
  status: JobStatus;
  /** Attempts started so far; an attempt counts before the handler runs, so a crash cannot loop. */
  attempts: number;
  maxAttempts: number;
  /** When it runs next (queued), or ran last; milliseconds since the epoch. */
  runAt: number;
  createdAt: number;
  updatedAt: number;
  /** The last failure's message, or null. */
  lastError: string | null;
  /** What the handler returned (done), or null. */
  result: unknown;
  /** What the handler saved with `run.save` (kept across attempts), or null. */
  state: unknown;
}

/** One attempt at a job, as its handler sees it. */
export interface JobRun<P = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly payload: P;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** What an earlier attempt saved, or null: how a retry after a crash knows what was already done. */
  readonly state: unknown;
  /** Saves progress for the next attempts (JSON, up to 64 KiB), at once and durably. */
  save(state: unknown): Promise<void>;
  /** Aborted when the attempt's time is up or the plugin stops; pass it to outgoing requests. */
  readonly signal: AbortSignal;
}

/** Runs one attempt; what it returns (JSON) is kept as the job's result. */
export type JobHandler<P = unknown> = (run: JobRun<P>) => unknown;

export interface JobKindOptions {
  /** Attempts before the job fails for good (default 8). */
  maxAttempts?: number;
  /** Wait before attempt n+1: `baseMs · 2^(n-1)` with ±20 % jitter, at most `maxMs` (defaults 5 s, 1 h). */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Time an attempt may take before its signal aborts and it counts as failed (default 60 s). */
  timeoutMs?: number;
  /** Jobs of this kind running at once in one process (default 1). */
  concurrency?: number;
  /** Called once when a job of this kind fails for good (attempts spent, or JobFailure thrown). */
  onFailed?: (job: JobInfo) => unknown;
}

export interface EnqueueOptions {
  /** Not before this time (milliseconds since the epoch); now when absent. */
  at?: number;
  /**
   * While a job of the same kind and key is queued or running, enqueueing again returns that job
   * instead of queueing another (e.g. the id of what it posts).
   */
  key?: string;
  /** Overrides the kind's maxAttempts. */
  maxAttempts?: number;
}

export interface JobFilter {
  kind?: string;
  status?: JobStatus | readonly JobStatus[];
  /** Newest first; up to 200 (default 50). */
  limit?: number;
  offset?: number;
}

/**
 * A durable queue of the plugin's jobs, in the platform's database: queued jobs survive restarts,
 * each runs in one process at a time (also across instances sharing PostgreSQL), and a failed
 * attempt is retried with backoff. Jobs run only while the plugin is on, in the server.
 */
export interface PluginJobs {
  /** Declares how jobs of `kind` (a-z, 0-9, `-`, `_`, `.`; up to 40) run; during setup only. */
  define<P = unknown>(kind: string, handler: JobHandler<P>, options?: JobKindOptions): void;
  /** Queues a job of a defined kind; the payload is JSON (up to 64 KiB). */
  enqueue<P>(kind: string, payload: P, options?: EnqueueOptions): Promise<JobInfo<P>>;
  get(id: string): Promise<JobInfo | undefined>;
  list(filter?: JobFilter): Promise<{ jobs: JobInfo[]; total: number }>;
  /** Queues a failed or cancelled job again, with its attempts reset; false for any other status. */
  retry(id: string): Promise<boolean>;
  /** Cancels a queued job; false when it is not queued (a running attempt is not interrupted). */
  cancel(id: string): Promise<boolean>;
  /** How many jobs are in each status. */
  counts(kind?: string): Promise<Record<JobStatus, number>>;
}

/**
 * The wait before the attempt after attempt `attempt` (1-based): doubling from `baseMs`, ±20 % jitter,
 * at most `maxMs`. What the queue waits after a failure; for a handler that computes its own wait from
 * values it reads at run time (a setting that may have changed) and throws RetryLater with it.
 */
export function backoffDelay(attempt: number, backoff: { baseMs: number; maxMs: number }): number {
  const doubled = backoff.baseMs * 2 ** Math.min(attempt - 1, 40);
  const jittered = doubled * (0.8 + Math.random() * 0.4);
  return Math.round(Math.min(jittered, backoff.maxMs));
}

/** Thrown by a job handler: try again after `delayMs` (e.g. a service's Retry-After), as an attempt that failed. */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    message: string,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** Thrown by a job handler: the job cannot succeed (a revoked token, a refused text); no more attempts. */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailure';
  }
}

export interface SecretInfo {
  name: string;
  /** The last 4 characters, for telling secrets apart; never more. */
  hint: string;
  updatedAt: number;
}

/**
 * The plugin's secrets (access tokens, API keys), kept in the database encrypted with AES-256-GCM
 * under the installation's key in DATA_DIR/secrets (every process sharing the database needs the same
 * file). A value is readable by its plugin only, and never shown by the platform.
 */
export interface PluginSecrets {
  /** `name`: a-z, 0-9, `-`, `_`, `.`, `:`; up to 100. The value: up to 8 KiB. */
  set(name: string, value: string): Promise<void>;
  /** Undefined when there is none. Throws SECRET_UNREADABLE when it was sealed under another key. */
  get(name: string): Promise<string | undefined>;
  delete(name: string): Promise<boolean>;
  list(): Promise<SecretInfo[]>;
}

/**
 * Outside services the operator set up by environment (MASTODON_URL and MASTODON_TOKEN, DEVTO_API_KEY
 * and DEVTO_API_ROOT, GITHUB_TOKEN and GITHUB_API_ROOT), for plugins that talk to them. An API root is
 * always given (the service's public one by default); a credential only when set.
 */
export interface PluginIntegrations {
  readonly mastodon?: { readonly url: string; readonly token: string };
  readonly devto: { readonly apiRoot: string; readonly apiKey?: string };
  readonly github: { readonly apiRoot: string; readonly token?: string };
}
