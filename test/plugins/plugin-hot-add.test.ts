// The README's "Try a plugin while it runs", as written: a server runs, the example plugin's folder
// is copied into DATA_DIR/plugins, `omnicore plugins enable notes`, and the running bot answers
// /note — no restart. Then again after a restart on the same DATA_DIR.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, freePort, type OmnicoreProcess, spawnOmnicore, waitUntilOk } from '../support/processes.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/plugins/notes/', import.meta.url));

describe('a plugin folder copied in while the bot runs', () => {
  let dataDir: string;
  let port: number;
  const running: OmnicoreProcess[] = [];

  beforeAll(() => assertBuilt());
  beforeEach(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-hot-add-'));
    port = await freePort();
  });
  afterEach(async () => {
    for (const server of running.splice(0)) {
      server.child.kill('SIGKILL');
      await server.finished;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const start = async () => {
    const server = spawnOmnicore('start', env());
    running.push(server);
    await waitUntilOk(`http://127.0.0.1:${port}/readyz`, server);
    return server;
  };
  const chat = async (script: string) => {
    const talk = spawnOmnicore('chat', env(), 30_000);
    talk.child.stdin?.end(script);
    return talk.finished;
  };

  it('is found by the running server and answers once enabled, and still after a restart', async () => {
    const server = await start();
    mkdirSync(path.join(dataDir, 'plugins'), { recursive: true });
    cpSync(EXAMPLE, path.join(dataDir, 'plugins', 'notes'), { recursive: true });
    const enabled = await spawnOmnicore(['plugins', 'enable', 'notes'], env(), 30_000).finished;
    expect(enabled.code, enabled.stderr).toBe(0);
    // Found within a couple of looks (a second apart), then switched on by the table.
    await new Promise((resolve) => setTimeout(resolve, 3000));

    const first = await chat('/note buy milk\n/notes\n');
    expect(first.stdout).not.toMatch(/don't know \/note/);
    expect(first.stdout).toMatch(/buy milk/);

    server.child.kill('SIGTERM');
    await server.finished;
    running.splice(0);
    await start();
    const second = await chat('/notes\n');
    expect(second.stdout).toMatch(/buy milk/);
  });
});
