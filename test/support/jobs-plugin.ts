// A fixture plugin with job kinds whose handlers do what each job's payload asks (fail some attempts,
// ask to retry later, refuse, wait for the abort, save state), and records every attempt where the
// test reads it; with test beds running it, and a handle on its queue as another process holds one.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import { createLogger } from '../../src/config/logger.js';
import type { Database } from '../../src/db/schema.js';
import type { PluginJobs } from '../../src/plugins/api-jobs.js';
import { jobQueues } from '../../src/plugins/jobs/queue.js';
import { newLoadedPlugin } from '../../src/plugins/loaded-plugin.js';
import { createPluginTestBed, type PluginTestBed } from '../../src/testing/plugin-test-bed.js';
import type { TestDatabase } from './databases.js';

export const JOBS_PLUGIN = 'jobber';

/** The attempts recorded at a job. */
export function attemptsOf(id: string): RecordedAttempt[] {
  return jobRecords().runs.filter((run) => run.id === id);
}

/** What a handler of the fixture does, by the job's payload. */
export interface WorkPayload {
  n?: number;
  /** Attempts up to this one throw. */
  failTimes?: number;
  /** The first attempt throws RetryLater with this delay. */
  retryLaterMs?: number;
  /** Throws JobFailure. */
  refuse?: boolean;
  /** Waits until the attempt's signal is aborted. */
  waitForAbort?: boolean;
  /** The first attempt saves { step: 1 } and throws; later ones return the state they see. */
  save?: boolean;
  sleepMs?: number;
}

export interface RecordedAttempt {
  id: string;
  attempt: number;
  state: unknown;
  at: number;
  /** Set once the signal was seen aborted, with its reason's message. */
  aborted?: string;
}

interface Records {
  runs: RecordedAttempt[];
  failed: string[];
  /** The ctx.jobs of the last setup: enqueueing through it wakes that platform's worker at once. */
  jobs?: PluginJobs;
}

/** The fixture's records (shared by every platform in this process running it). */
export function jobRecords(): Records & { jobs: PluginJobs } {
  const shared = globalThis as { jobberRecords?: Records };
  shared.jobberRecords ??= { runs: [], failed: [] };
  return shared.jobberRecords as Records & { jobs: PluginJobs };
}

const PLUGIN = `
import { definePlugin, JobFailure, RetryLater } from 'omnicore/plugin';

const records = (globalThis.jobberRecords ??= { runs: [], failed: [] });

async function work(run) {
  const record = { id: run.id, attempt: run.attempt, state: run.state, at: Date.now() };
  records.runs.push(record);
  const p = run.payload;
  if (p.sleepMs) await new Promise((resolve) => setTimeout(resolve, p.sleepMs));
  if (p.waitForAbort) {
    await new Promise((resolve) => run.signal.addEventListener('abort', resolve, { once: true }));
    record.aborted = run.signal.reason.message;
    throw run.signal.reason;
  }
  if (run.attempt <= (p.failTimes ?? 0)) throw new Error('failure ' + run.attempt);
  if (p.retryLaterMs !== undefined && run.attempt === 1) throw new RetryLater(p.retryLaterMs, 'busy');
  if (p.refuse) throw new JobFailure('refused');
  if (p.save && run.attempt === 1) {
    await run.save({ step: 1 });
    throw new Error('after saving');
  }
  return { n: p.n ?? null, seen: run.state };
}

export default definePlugin({
  name: '${JOBS_PLUGIN}',
  version: '1.0.0',
  description: 'Runs the jobs the tests queue',
  platform: '^0.1.0',
  setup(ctx) {
    records.jobs = ctx.jobs;
    const onFailed = (job) => records.failed.push(job.id);
    ctx.jobs.define('work', work, { maxAttempts: 3, backoff: { baseMs: 10, maxMs: 50 }, concurrency: 4, onFailed });
    ctx.jobs.define('slow', work, { maxAttempts: 1, timeoutMs: 50, onFailed });
  },
});
`;

/** The plugin folder, inside the package so that the plugin's import of 'omnicore/plugin' finds the build. */
export function writeJobsPlugin(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, JOBS_PLUGIN), { recursive: true });
  writeFileSync(path.join(dir, JOBS_PLUGIN, 'index.mjs'), PLUGIN);
}

/** A test bed on `database` running the fixture (switched on). */
export function jobsBed(pluginsDir: string, database: TestDatabase): Promise<PluginTestBed> {
  return createPluginTestBed({
    pluginsDir,
    enable: { [JOBS_PLUGIN]: true },
    env: { ...(database.url ? { DATABASE_URL: database.url } : {}), LOG_LEVEL: 'error' },
  });
}

/** The fixture's queue as a process that runs none of its jobs holds it (the CLI): same kinds, no worker. */
export function outsideJobs(db: Kysely<Database>): PluginJobs {
  const plugin = newLoadedPlugin(
    { name: JOBS_PLUGIN, version: '1.0.0', description: '', platform: '^0.1.0', setup: () => {} },
    '.',
    0,
  );
  const jobs = jobQueues({ db, log: createLogger({ LOG_LEVEL: 'silent' }, [], pino.destination(2)) }).jobsFor(
    plugin,
    () => true,
  );
  const never = (): never => {
    throw new Error('runs in the server only');
  };
  jobs.define('work', never, { maxAttempts: 3 });
  jobs.define('slow', never, { maxAttempts: 1 });
  return jobs;
}
