// The job queues of every plugin, as the host is given them: ctx.jobs for each plugin's context, and
// (in the server only) a worker for each plugin while it is on.
import type { Kysely } from 'kysely';
import type { Counter } from 'prom-client';
import type { Logger } from '../../config/logger.js';
import type { Database } from '../../db/schema.js';
import type { PluginJobs } from '../api-jobs.js';
import type { LoadedPlugin } from '../loaded-plugin.js';
import { pluginJobs } from './plugin-jobs.js';
import { jobStore } from './store.js';
import { JobWorker } from './worker.js';

export interface JobQueueOptions {
  db: Kysely<Database>;
  log: Logger;
  attempts?: Counter<'plugin' | 'kind' | 'outcome'>;
  pollMs?: number;
  stopGraceMs?: number;
}

export interface JobQueues {
  jobsFor(plugin: LoadedPlugin, settingUp: () => boolean): PluginJobs;
  /** A worker for the plugin's jobs; undefined when its setup defined no kind. */
  run(plugin: LoadedPlugin, guard: (plugin: LoadedPlugin, fn: () => unknown) => Promise<void>): JobWorker | undefined;
}

export function jobQueues(options: JobQueueOptions): JobQueues {
  const { db, ...rest } = options;
  return {
    jobsFor: (plugin, settingUp) => pluginJobs(jobStore(db, plugin.definition.name), plugin, settingUp),
    run(plugin, guard) {
      if (plugin.jobKinds.size === 0) return undefined;
      const name = plugin.definition.name;
      return new JobWorker({
        ...rest,
        plugin: name,
        store: jobStore(db, name),
        kinds: plugin.jobKinds,
        guard: (fn) => guard(plugin, fn),
      });
    },
  };
}
