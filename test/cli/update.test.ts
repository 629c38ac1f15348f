// `omnicore update` as an operator runs it: usage errors exit 2, and `history --json` prints the
// attempts (without their logs) for scripts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { UpdateHistory } from '../../src/ops/update/update-history.js';
import { assertBuilt, spawnOmnicore } from '../support/processes.js';

beforeAll(() => {
  assertBuilt();
});

describe('omnicore update', () => {
  it('refuses an unknown subcommand with its usage and exit 2', async () => {
    const result = await spawnOmnicore(['update', 'sideways'], {}, 30_000).finished;
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown subcommand "sideways".*usage: omnicore update check/);
  });

  it('prints the history as JSON, newest first, without the logs', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-update-cli-'));
    const handle = await openDatabase({ dataDir });
    await migrateToLatest(handle);
    await handle.close();
    const history = new UpdateHistory(() => openDatabase({ dataDir }));
    const attempt = {
      fromVersion: '0.1.0',
      toVersion: '0.2.0',
      fromCommit: 'a'.repeat(40),
      toCommit: 'b'.repeat(40),
      startedAt: 1_700_000_000_000,
      backupId: 'b-1',
      log: 'secret-free but long',
    };
    const id = await history.start({ ...attempt, status: 'running', finishedAt: null, result: null });
    await history.save({
      ...attempt,
      id,
      status: 'rolled_back',
      finishedAt: 1_700_000_100_000,
      result: 'rolled back: build failed',
    });

    const result = await spawnOmnicore(['update', 'history', '--json'], { DATA_DIR: dataDir }, 30_000).finished;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { log: _log, ...listed } = attempt;
    expect(JSON.parse(result.stdout)).toEqual([
      { ...listed, id, status: 'rolled_back', finishedAt: 1_700_000_100_000, result: 'rolled back: build failed' },
    ]);
  });
});
