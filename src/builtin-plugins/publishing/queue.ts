// The one publishing queue every post goes through, on ctx.jobs: its kinds (Mastodon statuses,
// edits and deletions; DEV.to articles and their changes), what a job is called in /queue and the
// panel, and the word to the person who asked once a post is out or failed for good.
import { backoffDelay, type JobInfo, type JobRun, type PluginContext, RetryLater } from '../../plugins/api.js';
import type { ContentStore } from '../content/service.js';
import type { Accounts } from './accounts.js';
import { type ArticleChangeJob, type ArticleJob, articleJobs } from './article-jobs.js';
import type { PublishingConfig } from './config.js';
import { type Notify, tell } from './notify.js';
import { type DeleteJob, type EditJob, type StatusJob, statusJobs } from './status-jobs.js';
import type { PublishingKey } from './strings.js';

type Ctx = PluginContext<PublishingConfig, PublishingKey>;

export const KINDS = {
  status: 'mastodon.status',
  edit: 'mastodon.edit',
  delete: 'mastodon.delete',
  article: 'devto.article',
  change: 'devto.change',
} as const;

/** What every job's payload says of itself. */
interface Described {
  account: string;
  origin: string;
  notify?: Notify;
}

/** What a done job's result says: the remote id and where to see it. */
export interface Landed {
  remoteId: string;
  url: string | null;
}

export class Queue {
  constructor(
    private readonly ctx: Ctx,
    accounts: Accounts,
    content: () => ContentStore,
  ) {
    const statuses = statusJobs(ctx, accounts);
    const articles = articleJobs(ctx, accounts, content);
    // Attempts and waits follow the configuration as it is when a post is queued or retried (see
    // enqueue and retryLater), not as it was at setup.
    const options = { timeoutMs: 5 * 60_000, onFailed: (job: JobInfo) => this.failed(job) };
    this.define(KINDS.status, statuses.post, options);
    this.define(KINDS.edit, statuses.edit, options);
    this.define(KINDS.delete, statuses.remove, options);
    this.define(KINDS.article, articles.publish, options);
    this.define(KINDS.change, articles.change, options);
  }

  status(job: StatusJob, options: { at?: number; key?: string } = {}): Promise<JobInfo<StatusJob>> {
    return this.ctx.jobs.enqueue(KINDS.status, job, { ...options, maxAttempts: this.ctx.config.maxAttempts });
  }

  edit(job: EditJob): Promise<JobInfo<EditJob>> {
    return this.ctx.jobs.enqueue(KINDS.edit, job, { maxAttempts: this.ctx.config.maxAttempts });
  }

  remove(job: DeleteJob): Promise<JobInfo<DeleteJob>> {
    return this.ctx.jobs.enqueue(KINDS.delete, job, { key: job.job, maxAttempts: this.ctx.config.maxAttempts });
  }

  article(job: ArticleJob): Promise<JobInfo<ArticleJob>> {
    return this.ctx.jobs.enqueue(KINDS.article, job, { maxAttempts: this.ctx.config.maxAttempts });
  }

  change(job: ArticleChangeJob): Promise<JobInfo<ArticleChangeJob>> {
    return this.ctx.jobs.enqueue(KINDS.change, job, { maxAttempts: this.ctx.config.maxAttempts });
  }

  private define<P extends Described>(
    kind: string,
    handler: (run: JobRun<P>) => Promise<Landed>,
    options: Parameters<Ctx['jobs']['define']>[2],
  ): void {
    this.ctx.jobs.define<P>(
      kind,
      async (run) => {
        const landed = await handler(run).catch((error: unknown) => {
          throw retryLater(error, run.attempt, this.ctx.config.retrySeconds);
        });
        if (kind === KINDS.status || kind === KINDS.article) {
          await tell(this.ctx, run.payload.notify, 'out', { id: run.id, url: landed.url ?? landed.remoteId });
        }
        return landed;
      },
      options,
    );
  }

  private async failed(job: JobInfo): Promise<void> {
    const payload = job.payload as Described;
    this.ctx.log.warn(
      { job: job.id, kind: job.kind, account: payload.account, error: job.lastError },
      'a post failed for good',
    );
    await tell(this.ctx, payload.notify, 'failed', { id: job.id, error: job.lastError ?? '?' });
  }
}

/**
 * A failure the queue should try again after the configured wait, doubled per attempt (up to 30
 * minutes, ±20 %); a failure for good, or a wait the service asked for, as it is.
 */
function retryLater(error: unknown, attempt: number, retrySeconds: number): unknown {
  // By name: a plugin's copy of the API may not be the platform's.
  if (error instanceof Error && (error.name === 'JobFailure' || error.name === 'RetryLater')) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RetryLater(backoffDelay(attempt, { baseMs: retrySeconds * 1000, maxMs: 30 * 60_000 }), message);
}

/** One line about a job, for /queue and the panel. */
export function describeJob(job: JobInfo): { what: string; account: string; origin: string; url: string | null } {
  const payload = job.payload as Described & { text?: string; title?: string };
  const what = payload.title ?? payload.text ?? job.kind;
  const landed = job.result as Landed | null;
  return {
    what: what.length > 60 ? `${what.slice(0, 59)}…` : what,
    account: payload.account,
    origin: payload.origin,
    url: landed?.url ?? null,
  };
}
