// The restart contract a self-update relies on: a server under `omnicore run` asked to restart
// (DATA_DIR/restart-request.json) stops, removes the file, exits with RESTART_EXIT_CODE, and the
// supervisor starts it again at once, without the back-off it uses after a crash.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestRestart, restartRequested } from '../../src/ops/update/restart-request.js';
import { assertBuilt, type ServingOmnicore, startOmnicore, waitUntilOk } from '../support/processes.js';

beforeAll(() => {
  assertBuilt();
});

describe('a restart request', () => {
  let server: ServingOmnicore | undefined;
  afterEach(async () => {
    server?.killTree('SIGTERM');
    await server?.finished;
  });

  it('restarts the server under `omnicore run` at once, and the supervisor goes on', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-restart-'));
    server = await startOmnicore({ DATA_DIR: dataDir }, 'run');
    const health = async () => (await (await fetch(`${server?.url}/readyz`)).json()) as Record<string, unknown>;
    const before = await health();

    expect(await requestRestart(dataDir, 30_000)).toBe(true);
    expect(restartRequested(dataDir)).toBe(false);
    await waitUntilOk(`${server.url}/readyz`, server);
    expect(await health()).toMatchObject({ database: before.database });
    expect(server.child.exitCode).toBeNull();
    // A crash would have been announced with its back-off; a requested restart is not a crash.
    expect(server.output()).not.toMatch(/starting it again in/);
  });

  it('is reported as not honoured when no server takes it, and withdrawn', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-restart-'));
    expect(await requestRestart(dataDir, 500)).toBe(false);
    expect(restartRequested(dataDir)).toBe(false);
  });
});
