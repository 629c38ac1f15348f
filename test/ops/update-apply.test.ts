// `update apply` against a stand-in install cloned from a local bare repository: a good release
// applies, and each broken one (fails to build, never ready, migration fails) rolls back by itself.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { OmniError } from '../../src/errors.js';
import { rollBackByHand } from '../../src/ops/update/manual-rollback.js';
import type { UpdateEnvironment } from '../../src/ops/update/types.js';
import { applyUpdate } from '../../src/ops/update/update-apply.js';
import { resolveTarget } from '../../src/ops/update/update-check.js';
import { UpdateHistory } from '../../src/ops/update/update-history.js';
import { statePath } from '../../src/ops/update/update-state.js';
import { createStandin, headOf, type Standin, standinEnvironment, tables } from '../support/update-standin.js';

const SOURCE = { remote: 'origin', branch: 'main' };

describe('update apply', () => {
  let standin: Standin;
  let env: UpdateEnvironment;
  let alerts: string[];
  let history: UpdateHistory;
  let before: string;

  beforeEach(async () => {
    standin = createStandin();
    ({ env, alerts } = await standinEnvironment(standin));
    history = new UpdateHistory(() => openDatabase({ dataDir: env.dataDir }));
    before = headOf(standin.install);
  });

  afterEach(() => {
    expect(existsSync(statePath(env.dataDir))).toBe(false);
  });

  const apply = () => applyUpdate(env, history, { target: (git) => resolveTarget(git, SOURCE) });

  it('applies a good release: new commit checked out, built, migrated, healthy, and recorded as succeeded', async () => {
    const target = standin.publish({ version: '2.0.0' });
    const record = await apply();
    expect(record?.status).toBe('succeeded');
    expect(headOf(standin.install)).toBe(target);
    expect(readFileSync(path.join(standin.install, 'dist/server.cjs'), 'utf8')).toContain('Welcome to');
    expect(await tables(env.dataDir)).toContain('standin_2_0_0');
    const [row] = await history.list();
    expect(row).toMatchObject({ status: 'succeeded', fromVersion: '1.0.0', toVersion: '2.0.0', toCommit: target });
    expect(row?.backupId).toBeTruthy();
    expect(row?.log).toContain('$ npm ci');
    expect(row?.log).toContain('the bot answered /start');
    expect(alerts).toEqual([]);
  });

  it('rolls back a release that fails to build: the old commit is checked out and rebuilt', async () => {
    standin.publish({ version: '2.0.0', buildFails: true });
    const record = await apply();
    expect(record?.status).toBe('rolled_back');
    expect(record?.result).toMatch(/build failed/);
    expect(record?.log).toContain('build failed on purpose');
    expect(headOf(standin.install)).toBe(before);
    expect(existsSync(path.join(standin.install, 'dist/server.cjs'))).toBe(true);
    expect(alerts).toHaveLength(1);
    expect((await history.list())[0]?.status).toBe('rolled_back');
  });

  it('rolls back a release that builds but fails its health check, restoring the database it migrated', async () => {
    standin.publish({ version: '2.0.0', neverReady: true });
    const record = await apply();
    expect(record?.status).toBe('rolled_back');
    expect(record?.result).toMatch(/health failed: health: not ready/);
    expect(headOf(standin.install)).toBe(before);
    expect(await tables(env.dataDir)).not.toContain('standin_2_0_0');
  });

  it('rolls back a release whose migration fails, with the database restored from the backup', async () => {
    standin.publish({ version: '2.0.0', migrationFails: true });
    const record = await apply();
    expect(record?.status).toBe('rolled_back');
    expect(record?.result).toMatch(/migrate failed/);
    expect(headOf(standin.install)).toBe(before);
    expect(await tables(env.dataDir)).not.toContain('standin_2_0_0');
    // The row was written before the backup, so the restored database still has it, now finished.
    expect(await history.list()).toMatchObject([{ status: 'rolled_back', backupId: record?.backupId }]);
  });

  it('goes back by hand to the version before the last update, with the data from before it', async () => {
    standin.publish({ version: '2.0.0' });
    const applied = await apply();
    expect(await tables(env.dataDir)).toContain('standin_2_0_0');
    const record = await rollBackByHand(env, history);
    expect(record).toMatchObject({ status: 'succeeded', fromVersion: '2.0.0', toVersion: '1.0.0' });
    expect(headOf(standin.install)).toBe(before);
    // The data from the backup taken before 2.0.0, without its migration; both attempts recorded.
    expect(await tables(env.dataDir)).not.toContain('standin_2_0_0');
    expect((await history.list()).map((row) => [row.toVersion, row.status])).toEqual([
      ['1.0.0', 'succeeded'],
      ['2.0.0', 'succeeded'],
    ]);
    expect(applied?.backupId).toBeTruthy();
  });

  it('refuses a rollback by hand with no update recorded onto the current commit', async () => {
    await expect(rollBackByHand(env, history)).rejects.toMatchObject({ code: 'UPDATE_NO_PREVIOUS' });
  });

  it('refuses a checkout with local changes, and changes nothing', async () => {
    standin.publish({ version: '2.0.0' });
    writeFileSync(path.join(standin.install, 'server.cjs'), '// edited by hand\n');
    await expect(apply()).rejects.toMatchObject({ code: 'UPDATE_LOCAL_CHANGES' });
    expect(headOf(standin.install)).toBe(before);
    expect(await history.list()).toEqual([]);
  });

  it('refuses a folder that is not a git checkout', async () => {
    const outside = { ...env, installDir: env.dataDir };
    await expect(applyUpdate(outside, history, { target: (git) => resolveTarget(git, SOURCE) })).rejects.toBeInstanceOf(
      OmniError,
    );
  });

  it('does nothing when the install already runs the target', async () => {
    expect(await apply()).toBeUndefined();
    expect(await history.list()).toEqual([]);
  });
});
