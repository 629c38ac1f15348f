// ctx.jobs: a plugin's handle on its job queue. Kinds are defined during setup (recorded on the
// LoadedPlugin, where the worker finds them); enqueueing here wakes this process's worker at once.
import { z } from 'zod';
import { OmniError } from '../../errors.js';
import type { JobInfo, JobStatus, PluginJobs } from '../api-jobs.js';
import type { LoadedPlugin } from '../loaded-plugin.js';
import { encodeJson } from './json.js';
import { jobKind } from './kinds.js';
import { JOB_STATUSES, type JobStore, jobInfo } from './store.js';

const status = z.enum(JOB_STATUSES as [JobStatus, ...JobStatus[]]);
const enqueueOptions = z
  .object({
    at: z.number().finite().optional(),
    key: z.string().min(1).max(200).optional(),
    maxAttempts: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
const filter = z
  .object({
    kind: z.string().optional(),
    status: z.union([status, z.array(status)]).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    offset: z.number().int().min(0).default(0),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new OmniError('OMNI_INVALID_INPUT', `${what}: ${issue?.path.join('.') || 'value'}: ${issue?.message}`);
}

export function pluginJobs(store: JobStore, plugin: LoadedPlugin, settingUp: () => boolean): PluginJobs {
  const name = plugin.definition.name;
  return {
    define(kind, handler, options) {
      if (!settingUp()) throw new Error(`jobs.define(${kind}): kinds are defined during setup()`);
      if (plugin.jobKinds.has(kind)) throw new Error(`jobs.define(${kind}): the kind is already defined`);
      plugin.jobKinds.set(kind, jobKind(kind, handler as never, options));
    },

    async enqueue(kind, payload, options) {
      const defined = plugin.jobKinds.get(kind);
      if (!defined) throw new OmniError('JOB_UNKNOWN_KIND', `${name} defines no job kind ${JSON.stringify(kind)}`);
      const { at, key, maxAttempts } = parse(enqueueOptions, options, `jobs.enqueue(${kind}) options`);
      const row = await store.enqueue({
        kind,
        key: key ?? null,
        payload: encodeJson(payload, `jobs.enqueue(${kind}): the payload`),
        runAt: at ?? Date.now(),
        maxAttempts: maxAttempts ?? defined.maxAttempts,
      });
      plugin.jobWorker?.wake();
      return jobInfo(row) as JobInfo<typeof payload>;
    },

    async get(id) {
      const row = await store.get(id);
      return row && jobInfo(row);
    },

    async list(given) {
      const { kind, status: wanted, limit, offset } = parse(filter, given, 'jobs.list filter');
      const statuses = wanted === undefined ? undefined : typeof wanted === 'string' ? [wanted] : wanted;
      const { rows, total } = await store.list({
        limit,
        offset,
        ...(kind ? { kind } : {}),
        ...(statuses ? { statuses } : {}),
      });
      return { jobs: rows.map(jobInfo), total };
    },

    async retry(id) {
      const retried = await store.retry(id);
      if (retried) plugin.jobWorker?.wake();
      return retried;
    },

    cancel: (id) => store.cancel(id),
    counts: (kind) => store.counts(kind),
  };
}
