// An updater killed with SIGKILL mid-way leaves DATA_DIR/update-state.json; the next start (or
// `update` command) rolls an unfinished update back, records a finished one as succeeded, and never
// leaves the install half-updated.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { sleep } from '../../src/lib/sleep.js';
import { GitCheckout } from '../../src/ops/update/git-checkout.js';
import type { UpdateEnvironment } from '../../src/ops/update/types.js';
import { UpdateHistory } from '../../src/ops/update/update-history.js';
import { recoverUnfinishedUpdate } from '../../src/ops/update/update-recovery.js';
import { readState, statePath, writeState } from '../../src/ops/update/update-state.js';
import { assertBuilt } from '../support/processes.js';
import { createStandin, headOf, type Standin, standinEnvironment, tables } from '../support/update-standin.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

// The updater as its own process, on the built dist/, so that it can be killed outright.
const UPDATER = `
const [dist, installDir, dataDir, serverUrl] = process.argv.slice(1);
const { applyUpdate } = await import(dist + 'ops/update/update-apply.js');
const { resolveTarget } = await import(dist + 'ops/update/update-check.js');
const { UpdateHistory } = await import(dist + 'ops/update/update-history.js');
const { updateBackup } = await import(dist + 'ops/update/update-backup.js');
const { openDatabase } = await import(dist + 'db/database.js');
const env = { installDir, dataDir, serverUrl, emulator: true, alert: async () => {},
  backup: updateBackup({ DATA_DIR: dataDir, PLUGINS_DIR: dataDir + '/plugins', SQLITE_SYNCHRONOUS: 'normal' }) };
await applyUpdate(env, new UpdateHistory(() => openDatabase({ dataDir })),
  { target: (git) => resolveTarget(git, { remote: 'origin', branch: 'main' }) });
`;

async function checkOut(installDir: string, commit: string): Promise<void> {
  const git = new GitCheckout(installDir);
  await git.fetchBranch('origin', 'main');
  await git.checkout(commit);
}

beforeAll(() => {
  assertBuilt();
});

describe('an update interrupted by kill -9', () => {
  let standin: Standin;
  let env: UpdateEnvironment;
  let history: UpdateHistory;
  let before: string;

  beforeEach(async () => {
    standin = createStandin();
    ({ env } = await standinEnvironment(standin));
    history = new UpdateHistory(() => openDatabase({ dataDir: env.dataDir }));
    before = headOf(standin.install);
  });

  it('is rolled back at the next start when it was killed during the build', async () => {
    standin.publish({ version: '2.0.0', buildTakesMs: 60_000 });
    const updater = spawn(
      process.execPath,
      ['--input-type=module', '-e', UPDATER, DIST, env.installDir, env.dataDir, env.serverUrl],
      { detached: true, stdio: 'ignore', env: env.commandEnv },
    );
    const deadline = Date.now() + 30_000;
    while (readState(env.dataDir)?.step !== 'build' && Date.now() < deadline) await sleep(100);
    expect(readState(env.dataDir)?.step).toBe('build');
    // The whole group, as a power cut or systemd's kill would: the build it started goes too.
    process.kill(-(updater.pid as number), 'SIGKILL');
    await new Promise((resolve) => updater.once('exit', resolve));
    expect(headOf(standin.install)).not.toBe(before);

    const record = await recoverUnfinishedUpdate(env, history);
    expect(record).toMatchObject({ status: 'rolled_back', result: 'rolled back: interrupted during build' });
    expect(headOf(standin.install)).toBe(before);
    expect(existsSync(statePath(env.dataDir))).toBe(false);
    expect((await history.list())[0]).toMatchObject({ status: 'rolled_back', toVersion: '2.0.0' });
  });

  it('restores the database when it was killed after migrating', async () => {
    const target = standin.publish({ version: '2.0.0' });
    const id = await history.start({
      fromVersion: '1.0.0',
      toVersion: '2.0.0',
      fromCommit: before,
      toCommit: target,
      status: 'running',
      startedAt: Date.now(),
      finishedAt: null,
      result: null,
      backupId: null,
      log: '',
    });
    const { id: backupId } = await env.backup.create();
    // What the updater had done when it died: checked out, built and migrated the new version.
    await checkOut(env.installDir, target);
    const handle = await openDatabase({ dataDir: env.dataDir });
    await handle.db.schema.createTable('standin_2_0_0').addColumn('id', 'integer').execute();
    await handle.close();
    writeState(env.dataDir, {
      historyId: id,
      fromCommit: before,
      toCommit: target,
      fromVersion: '1.0.0',
      toVersion: '2.0.0',
      backupId,
      startedAt: Date.now(),
      step: 'health',
    });

    expect(await recoverUnfinishedUpdate(env, history)).toMatchObject({ status: 'rolled_back' });
    expect(headOf(standin.install)).toBe(before);
    expect(await tables(env.dataDir)).not.toContain('standin_2_0_0');
  });

  it('is recorded as succeeded when it was killed after it had finished', async () => {
    const target = standin.publish({ version: '2.0.0' });
    await checkOut(env.installDir, target);
    const draft = {
      fromVersion: '1.0.0',
      toVersion: '2.0.0',
      fromCommit: before,
      toCommit: target,
      status: 'running' as const,
      startedAt: Date.now(),
      finishedAt: null,
      result: null,
      backupId: 'unused',
      log: '',
    };
    const id = await history.start(draft);
    writeState(env.dataDir, { ...draft, historyId: id, step: 'finished' });

    expect(await recoverUnfinishedUpdate(env, history)).toMatchObject({ status: 'succeeded' });
    expect(headOf(standin.install)).toBe(target);
    expect(existsSync(statePath(env.dataDir))).toBe(false);
  });

  it('marks an attempt that died before its first step as failed, having changed nothing', async () => {
    await history.start({
      fromVersion: '1.0.0',
      toVersion: '2.0.0',
      fromCommit: before,
      toCommit: before,
      status: 'running',
      startedAt: Date.now(),
      finishedAt: null,
      result: null,
      backupId: null,
      log: '',
    });
    expect(await recoverUnfinishedUpdate(env, history)).toBeUndefined();
    expect(await history.list()).toMatchObject([
      { status: 'failed', result: 'interrupted before it changed anything' },
    ]);
  });
});
