// ctx.jobs as a queue, on SQLite and PostgreSQL: kinds are defined during setup only and checked,
// payloads are JSON of at most 64 KiB, a key holds one live job (also against another connection),
// and list, counts, cancel and retry act on the statuses they name. No worker runs here.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/config/logger.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { OmniError } from '../../src/errors.js';
import type { PluginJobs } from '../../src/plugins/api-jobs.js';
import { jobQueues } from '../../src/plugins/jobs/queue.js';
import { jobStore } from '../../src/plugins/jobs/store.js';
import { newLoadedPlugin } from '../../src/plugins/loaded-plugin.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const log = createLogger({ LOG_LEVEL: 'silent' }, [], pino.destination(2));

describe.each(DATABASE_KINDS)('plugin job queue on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);
  /** A second connection to the same database, as another process would have. */
  let other: DatabaseHandle;
  let jobs: PluginJobs;
  let elsewhere: PluginJobs;
  let settingUp = false;

  const handle = (handleDb: DatabaseHandle, name = 'poster'): PluginJobs => {
    const plugin = newLoadedPlugin(
      { name, version: '1.0.0', description: '', platform: '^0.1.0', setup: () => {} },
      '.',
      0,
    );
    let defining = true;
    const queue = jobQueues({ db: handleDb.db, log }).jobsFor(plugin, () => defining || settingUp);
    queue.define('post', () => undefined, { maxAttempts: 4 });
    queue.define('digest.daily', () => undefined);
    defining = false;
    return queue;
  };

  beforeAll(async () => {
    other = await openDatabase({ url: fixture.database.url, dataDir: fixture.database.dataDir });
    jobs = handle(fixture.handle);
    elsewhere = handle(other);
  });

  afterAll(async () => {
    await other?.close();
  });

  it('defines kinds during setup only, and checks their names and options', () => {
    expect(() => jobs.define('late', () => undefined)).toThrow(/during setup/);
    settingUp = true;
    try {
      expect(() => jobs.define('Bad Kind', () => undefined)).toThrow(/a kind is 1 to 40/);
      expect(() => jobs.define('x'.repeat(41), () => undefined)).toThrow(/a kind is 1 to 40/);
      expect(() => jobs.define('post', () => undefined)).toThrow(/already defined/);
      expect(() => jobs.define('odd', () => undefined, { concurrency: 0 })).toThrow(/concurrency/);
    } finally {
      settingUp = false;
    }
  });

  it('refuses a kind not defined, and payloads that are not JSON or over 64 KiB', async () => {
    await expect(jobs.enqueue('nope', {})).rejects.toMatchObject({ code: 'JOB_UNKNOWN_KIND' });
    await expect(jobs.enqueue('post', { text: 'x'.repeat(64 * 1024) })).rejects.toMatchObject({
      code: 'JOB_TOO_LARGE',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(jobs.enqueue('post', cyclic)).rejects.toBeInstanceOf(OmniError);
    await expect(jobs.enqueue('post', {}, { maxAttempts: 0 })).rejects.toMatchObject({ code: 'OMNI_INVALID_INPUT' });
    expect((await jobs.list({ kind: 'nope' })).total).toBe(0);
  });

  it('queues a job as given, with the kind’s attempts unless overridden', async () => {
    const at = Date.now() + 60_000;
    const job = await jobs.enqueue('post', { text: 'hello' }, { at });
    expect(job).toMatchObject({
      kind: 'post',
      key: null,
      payload: { text: 'hello' },
      status: 'queued',
      attempts: 0,
      maxAttempts: 4,
      runAt: at,
      lastError: null,
      result: null,
      state: null,
    });
    expect(job.id).toMatch(/^[a-z0-9]{12}$/);
    expect(await jobs.get(job.id)).toEqual(job);
    expect((await jobs.enqueue('post', null, { maxAttempts: 1 })).maxAttempts).toBe(1);
    expect(await handle(fixture.handle, 'other-plugin').get(job.id)).toBeUndefined();
  });

  it('returns the live job of a key instead of queueing another, also to another connection', async () => {
    const first = await jobs.enqueue('post', { n: 1 }, { key: 'status-42' });
    const again = await elsewhere.enqueue('post', { n: 2 }, { key: 'status-42' });
    expect(again.id).toBe(first.id);
    expect(again.payload).toEqual({ n: 1 });
    // Another kind, or no key, is another job.
    expect((await jobs.enqueue('digest.daily', {}, { key: 'status-42' })).id).not.toBe(first.id);
    // Once the job is no longer live, the key queues anew.
    expect(await jobs.cancel(first.id)).toBe(true);
    const next = await elsewhere.enqueue('post', { n: 3 }, { key: 'status-42' });
    expect(next.id).not.toBe(first.id);
  });

  it('queues one job when two connections enqueue the same key at once', async () => {
    const racing = await Promise.all(
      Array.from({ length: 10 }, (_, n) => (n % 2 ? jobs : elsewhere).enqueue('post', { n }, { key: 'race' })),
    );
    expect(new Set(racing.map((job) => job.id)).size).toBe(1);
    expect((await jobs.list({ kind: 'post', status: 'queued' })).jobs.filter((job) => job.key === 'race')).toHaveLength(
      1,
    );
  });

  it('lists newest first with the total, filters by kind and status, and counts by status', async () => {
    const queue = handle(fixture.handle, 'lister');
    const made = [];
    for (let n = 0; n < 5; n++) made.push(await queue.enqueue('post', { n }));
    await queue.enqueue('digest.daily', {});
    await queue.cancel(made[0]?.id as string);
    const page = await queue.list({ kind: 'post', limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.jobs).toHaveLength(2);
    expect((await queue.list()).total).toBe(6);
    expect((await queue.list({ status: ['cancelled'] })).jobs.map((job) => job.id)).toEqual([made[0]?.id]);
    expect(await queue.counts()).toEqual({ queued: 5, running: 0, done: 0, failed: 0, cancelled: 1 });
    expect(await queue.counts('post')).toEqual({ queued: 4, running: 0, done: 0, failed: 0, cancelled: 1 });
    await expect(queue.list({ limit: 201 })).rejects.toMatchObject({ code: 'OMNI_INVALID_INPUT' });
  });

  it('cancels queued jobs only, and retries failed or cancelled ones with their attempts reset', async () => {
    const job = await jobs.enqueue('post', { n: 'cancel' });
    expect(await jobs.retry(job.id)).toBe(false);
    expect(await jobs.cancel(job.id)).toBe(true);
    expect(await jobs.cancel(job.id)).toBe(false);
    expect(await jobs.retry(job.id)).toBe(true);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'queued', attempts: 0 });
    // A running job is neither cancelled nor retried.
    const store = jobStore(fixture.handle.db, 'poster');
    let claimed = await store.claim('post', Date.now() + 60_000);
    while (claimed && claimed.id !== job.id) claimed = await store.claim('post', Date.now() + 60_000);
    expect(claimed).toMatchObject({ status: 'running', attempts: 1 });
    expect(await jobs.cancel(job.id)).toBe(false);
    expect(await jobs.retry(job.id)).toBe(false);
    await store.finish(job.id, 1, { status: 'failed', error: 'gone' });
    expect(await jobs.retry(job.id)).toBe(true);
    expect(await jobs.get(job.id)).toMatchObject({ status: 'queued', attempts: 0, lastError: 'gone' });
    expect(await jobs.retry('no-such-job')).toBe(false);
  });

  it('does not retry a job whose key another live job holds meanwhile', async () => {
    const job = await jobs.enqueue('post', {}, { key: 'held' });
    await jobs.cancel(job.id);
    const holder = await jobs.enqueue('post', {}, { key: 'held' });
    expect(await jobs.retry(job.id)).toBe(false);
    expect(await jobs.get(holder.id)).toMatchObject({ status: 'queued' });
  });
});
