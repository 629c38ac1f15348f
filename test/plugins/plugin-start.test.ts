// `omnicore start` as an operator runs it, with a plugins folder where some folders are broken: the
// server comes up, the good plugins load, and each broken folder is named in the log with its code.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type ServingOmnicore, startOmnicore } from '../support/processes.js';

const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-start-plugins-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-start-data-'));

const write = (folder: string, file: string, source: string): void => {
  mkdirSync(path.join(pluginsDir, folder), { recursive: true });
  writeFileSync(path.join(pluginsDir, folder, file), source);
};

describe('omnicore start with broken plugin folders', () => {
  let server: ServingOmnicore | undefined;

  beforeAll(() => {
    assertBuilt();
    write(
      'good',
      'index.mjs',
      "export default { name: 'good', version: '1.0.0', description: 'd', platform: '*', setup() {} };",
    );
    write('bad-json', 'package.json', '{ "main": ');
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.finished;
    rmSync(pluginsDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, loads the good plugins and names each refused folder', async () => {
    server = await startOmnicore({ DATA_DIR: dataDir, PLUGINS_DIR: pluginsDir, LOG_LEVEL: 'info' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const log = server.output();
    expect(log).toMatch(/PLUGIN_LOAD_FAILED.*bad-json: package\.json is not valid JSON/);
    expect(log).not.toMatch(/"plugin":"good".*PLUGIN_/);
  });
});
