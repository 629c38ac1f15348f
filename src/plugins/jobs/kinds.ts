// A kind of job as a plugin's setup defines it (ctx.jobs.define): its handler and its options with
// the defaults filled in, and what its options decide: the wait before the next attempt.
import { z } from 'zod';
import { backoffDelay, type JobHandler, type JobKindOptions } from '../api-jobs.js';

const KIND = /^[a-z0-9._-]{1,40}$/;

const options = z
  .object({
    maxAttempts: z.number().int().min(1).max(1000).default(8),
    backoff: z
      .object({
        baseMs: z.number().int().min(0).default(5000),
        maxMs: z.number().int().min(0).default(3_600_000),
      })
      .strict()
      .default({ baseMs: 5000, maxMs: 3_600_000 }),
    timeoutMs: z.number().int().min(1).default(60_000),
    concurrency: z.number().int().min(1).max(100).default(1),
    onFailed: z.custom<JobKindOptions['onFailed']>((value) => typeof value === 'function').optional(),
  })
  .strict();

export interface JobKind {
  readonly handler: JobHandler;
  readonly maxAttempts: number;
  readonly backoff: { readonly baseMs: number; readonly maxMs: number };
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly onFailed?: JobKindOptions['onFailed'];
}

/** The kind `define` was asked for; throws naming what is wrong, as the other setup-time declarations do. */
export function jobKind(kind: string, handler: JobHandler, given: JobKindOptions | undefined): JobKind {
  if (!KIND.test(kind)) {
    throw new Error(`jobs.define(${kind}): a kind is 1 to 40 of a-z, 0-9, '-', '_' and '.'`);
  }
  if (typeof handler !== 'function') throw new TypeError(`jobs.define(${kind}): the handler must be a function`);
  const parsed = options.safeParse(given ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`jobs.define(${kind}): ${issue?.path.join('.') || 'options'}: ${issue?.message}`);
  }
  return { handler, ...parsed.data };
}

/** The wait before the attempt after attempt `attempt`, by the kind's backoff. */
export function backoffMs({ backoff }: JobKind, attempt: number): number {
  return backoffDelay(attempt, backoff);
}
