// ctx.jobs run by the platform, on SQLite and PostgreSQL: a fixture plugin's handlers fail, succeed,
// ask to retry later, refuse, overrun their time and save state, and the queue records each outcome;
// jobs queued while the plugin is off (by another process) run once it is switched on.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, PluginJobs } from '../../src/plugins/api-jobs.js';
import type { PluginTestBed } from '../../src/testing/plugin-test-bed.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import {
  attemptsOf,
  JOBS_PLUGIN,
  jobRecords,
  jobsBed,
  outsideJobs,
  type WorkPayload,
  writeJobsPlugin,
} from '../support/jobs-plugin.js';
import { singleMetric } from '../support/metrics-text.js';

const PLUGINS_DIR = path.resolve('test-results/jobs-worker');

describe.each(DATABASE_KINDS)('plugin jobs run on %s', (kind) => {
  let database: TestDatabase;
  let bed: PluginTestBed;
  let outside: PluginJobs;
  const jobs = (): PluginJobs => jobRecords().jobs;

  beforeAll(async () => {
    writeJobsPlugin(PLUGINS_DIR);
    database = await createTestDatabase(kind);
    bed = await jobsBed(PLUGINS_DIR, database);
    outside = outsideJobs(bed.platform.database.db);
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
  });

  /** The job once it reached `status`. */
  async function settled(id: string, status: JobInfo['status']): Promise<JobInfo> {
    await expect.poll(async () => (await jobs().get(id))?.status, { timeout: 10_000 }).toBe(status);
    return (await jobs().get(id)) as JobInfo;
  }

  it('runs a job and keeps what its handler returned', async () => {
    const job = await jobs().enqueue<WorkPayload>('work', { n: 7 });
    const done = await settled(job.id, 'done');
    expect(done).toMatchObject({ attempts: 1, result: { n: 7, seen: null }, lastError: null });
    expect(attemptsOf(job.id)).toHaveLength(1);
  });

  it('retries a failing job with backoff until it succeeds, counting each attempt', async () => {
    const job = await jobs().enqueue<WorkPayload>('work', { failTimes: 2 });
    const done = await settled(job.id, 'done');
    expect(done).toMatchObject({ attempts: 3, lastError: 'failure 2' });
    const [first, second, third] = attemptsOf(job.id);
    expect([first?.attempt, second?.attempt, third?.attempt]).toEqual([1, 2, 3]);
    // baseMs 10 with -20 % jitter: no attempt starts sooner than 8 ms, then 16 ms, after the one before.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(8);
    expect((third?.at ?? 0) - (second?.at ?? 0)).toBeGreaterThanOrEqual(16);
  });

  it('fails a job for good after its last attempt, and calls onFailed once', async () => {
    const job = await jobs().enqueue<WorkPayload>('work', { failTimes: 5 });
    const failed = await settled(job.id, 'failed');
    expect(failed).toMatchObject({ attempts: 3, lastError: 'failure 3' });
    await expect.poll(() => jobRecords().failed.filter((id) => id === job.id)).toHaveLength(1);
    expect(attemptsOf(job.id)).toHaveLength(3);
  });

  it('moves the next run to when RetryLater asks', async () => {
    const job = await jobs().enqueue<WorkPayload>('work', { retryLaterMs: 3_600_000 });
    await expect.poll(async () => (await jobs().get(job.id))?.lastError, { timeout: 10_000 }).toBe('busy');
    const waiting = (await jobs().get(job.id)) as JobInfo;
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting.runAt - waiting.updatedAt).toBeGreaterThan(3_590_000);
    expect(await jobs().cancel(job.id)).toBe(true);
  });

  it('fails a job at once on JobFailure and calls onFailed once', async () => {
    const job = await jobs().enqueue<WorkPayload>('work', { refuse: true });
    expect(await settled(job.id, 'failed')).toMatchObject({ attempts: 1, lastError: 'refused' });
    await expect.poll(() => jobRecords().failed.filter((id) => id === job.id)).toHaveLength(1);
  });

  it('aborts the signal of an attempt that overruns its time, and counts it failed', async () => {
    const job = await jobs().enqueue<WorkPayload>('slow', { waitForAbort: true });
    expect(await settled(job.id, 'failed')).toMatchObject({ attempts: 1, lastError: 'timed out after 50 ms' });
    expect(attemptsOf(job.id)[0]?.aborted).toBe('timed out after 50 ms');
  });

  it('gives the state one attempt saved to the next', async () => {
    const job = await jobs().enqueue<WorkPayload>('work', { save: true });
    const done = await settled(job.id, 'done');
    expect(done).toMatchObject({ attempts: 2, state: { step: 1 }, result: { n: null, seen: { step: 1 } } });
    expect(attemptsOf(job.id).map((run) => run.state)).toEqual([null, { step: 1 }]);
  });

  it('counts attempts by outcome on /metrics', async () => {
    const text = await singleMetric(bed.platform, 'omnicore_plugin_jobs_attempts_total');
    expect(text).toContain(`omnicore_plugin_jobs_attempts_total{plugin="${JOBS_PLUGIN}",kind="work",outcome="done"}`);
    expect(text).toContain(
      `omnicore_plugin_jobs_attempts_total{plugin="${JOBS_PLUGIN}",kind="slow",outcome="failed"} 1`,
    );
  });

  it('aborts running attempts when the plugin is switched off, and queues their jobs again uncounted', async () => {
    const job = await jobs().enqueue<WorkPayload>('work', { waitForAbort: true });
    await expect.poll(() => attemptsOf(job.id)).toHaveLength(1);
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, false);
    expect(attemptsOf(job.id)[0]?.aborted).toBe('the plugin stopped');
    expect(await outside.get(job.id)).toMatchObject({ status: 'queued', attempts: 0, lastError: 'the plugin stopped' });
    expect(await outside.cancel(job.id)).toBe(true);
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, true);
  });

  it('runs a job queued while the plugin was off once it is switched on', async () => {
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, false);
    const job = await outside.enqueue<WorkPayload>('work', { n: 1 });
    expect(attemptsOf(job.id)).toHaveLength(0);
    expect((await outside.get(job.id))?.status).toBe('queued');
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, true);
    expect(await settled(job.id, 'done')).toMatchObject({ attempts: 1, result: { n: 1, seen: null } });
  });
});
