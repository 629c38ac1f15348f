// Jobs whose process died, and jobs that two instances compete for: a job claimed by a process that
// never finished it (its claim lapsed) runs again in a new worker, or fails when that was its last
// attempt; two instances sharing PostgreSQL run each of 50 jobs exactly once.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo, PluginJobs } from '../../src/plugins/api-jobs.js';
import { jobStore } from '../../src/plugins/jobs/store.js';
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

const PLUGINS_DIR = path.resolve('test-results/jobs-crash');

async function settled(jobs: PluginJobs, id: string, status: JobInfo['status']): Promise<JobInfo> {
  await expect.poll(async () => (await jobs.get(id))?.status, { timeout: 10_000 }).toBe(status);
  return (await jobs.get(id)) as JobInfo;
}

describe.each(DATABASE_KINDS)('jobs of a process that died, on %s', (kind) => {
  let database: TestDatabase;
  let bed: PluginTestBed;
  let outside: PluginJobs;

  beforeAll(async () => {
    writeJobsPlugin(PLUGINS_DIR);
    database = await createTestDatabase(kind);
    bed = await jobsBed(PLUGINS_DIR, database);
    outside = outsideJobs(bed.platform.database.db);
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, false);
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    await database?.dispose();
  });

  /** A job claimed as a process that died mid-attempt leaves it: running, its claim already lapsed. */
  async function abandoned(payload: WorkPayload, maxAttempts?: number): Promise<JobInfo> {
    const job = await outside.enqueue('work', payload, maxAttempts ? { maxAttempts } : {});
    const claimed = await jobStore(bed.platform.database.db, JOBS_PLUGIN).claim('work', Date.now() - 1);
    expect(claimed).toMatchObject({ id: job.id, status: 'running', attempts: 1 });
    return job;
  }

  it('runs again a job whose process died mid-attempt, as its next attempt', async () => {
    const job = await abandoned({ n: 5 });
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, true);
    expect(await settled(outside, job.id, 'done')).toMatchObject({ attempts: 2, result: { n: 5, seen: null } });
    expect(attemptsOf(job.id).map((run) => run.attempt)).toEqual([2]);
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, false);
  });

  it('fails a job whose last attempt died with its process, without running it again', async () => {
    const job = await abandoned({ n: 6 }, 1);
    await bed.platform.plugins.setEnabled(JOBS_PLUGIN, true);
    expect(await settled(outside, job.id, 'failed')).toMatchObject({
      attempts: 2,
      lastError: 'its last attempt stopped with its process',
    });
    expect(attemptsOf(job.id)).toHaveLength(0);
    await expect.poll(() => jobRecords().failed.filter((id) => id === job.id)).toHaveLength(1);
  });
});

describe('two instances on one PostgreSQL database', () => {
  let database: TestDatabase;
  let first: PluginTestBed;
  let second: PluginTestBed;

  beforeAll(async () => {
    writeJobsPlugin(PLUGINS_DIR);
    database = await createTestDatabase('postgres');
    first = await jobsBed(PLUGINS_DIR, database);
    second = await jobsBed(PLUGINS_DIR, database);
  }, 60_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.dispose();
  });

  it('run each of 50 jobs exactly once between them', async () => {
    const outside = outsideJobs(first.platform.database.db);
    const queued = await Promise.all(
      Array.from({ length: 50 }, (_, n) => outside.enqueue<WorkPayload>('work', { n, sleepMs: 40 })),
    );
    await expect.poll(async () => (await outside.counts('work')).done, { timeout: 20_000 }).toBe(50);
    const ids = new Set(queued.map((job) => job.id));
    const runs = jobRecords().runs.filter((run) => ids.has(run.id));
    expect(runs).toHaveLength(50);
    expect(new Set(runs.map((run) => run.id)).size).toBe(50);
    for (const job of (await outside.list({ kind: 'work', limit: 50 })).jobs) expect(job.attempts).toBe(1);
  });
});
