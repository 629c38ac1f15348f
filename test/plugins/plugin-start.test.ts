// `omnicore start` as an operator runs it, with a plugins folder where some folders are broken or
// stuck: the server comes up, the good plugins load, and each refused folder is named in the log
// with its code. `plugins list --json` on the same folder says the same.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, type ServingOmnicore, spawnOmnicore, startOmnicore } from '../support/processes.js';

const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-start-plugins-'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-start-data-'));
/** A plugin kept outside PLUGINS_DIR and linked into it, as one is while being worked on. */
const linkedPlugin = mkdtempSync(path.join(tmpdir(), 'omnicore-start-linked-'));

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
    writeFileSync(
      path.join(linkedPlugin, 'index.mjs'),
      "export default { name: 'linked', version: '1.0.0', description: 'd', platform: '*', setup() {} };",
    );
    symlinkSync(linkedPlugin, path.join(pluginsDir, 'linked'));
    write(
      'stuck',
      'index.mjs',
      "export default { name: 'stuck', version: '1.0.0', description: 'd', platform: '*', setup: () => new Promise(() => {}) };",
    );
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.finished;
    rmSync(pluginsDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(linkedPlugin, { recursive: true, force: true });
  });

  it('starts, loads the good plugins and names each refused folder', async () => {
    const listDataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-start-list-'));
    // Both wait out the default 10 s setup deadline of the stuck plugin, so they run side by side.
    const [started, listed] = await Promise.all([
      startOmnicore({ DATA_DIR: dataDir, PLUGINS_DIR: pluginsDir, LOG_LEVEL: 'info' }),
      spawnOmnicore(['plugins', 'list', '--json'], { DATA_DIR: listDataDir, PLUGINS_DIR: pluginsDir }, 30_000).finished,
    ]);
    rmSync(listDataDir, { recursive: true, force: true });
    server = started;
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const log = server.output();
    expect(log).toMatch(/PLUGIN_LOAD_FAILED.*bad-json: package\.json is not valid JSON/);
    expect(log).toMatch(/PLUGIN_SETUP_TIMEOUT.*stuck: setup\(\) still running after 10000 ms/);
    expect(log).not.toMatch(/"plugin":"good".*PLUGIN_/);
    expect(log).toContain(`plugin folder ${path.join(pluginsDir, 'linked')} is a symlink to ${linkedPlugin}`);

    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout) as { name: string; refused?: { code: string } }[];
    expect(entries.map((entry) => [entry.name, entry.refused?.code ?? 'ok']).sort()).toEqual([
      ['ai-suggestions', 'ok'],
      ['bad-json', 'PLUGIN_LOAD_FAILED'],
      ['broadcasts', 'ok'],
      ['content', 'ok'],
      ['filing', 'ok'],
      ['good', 'ok'],
      ['linked', 'ok'],
      ['publishing', 'ok'],
      ['shop', 'ok'],
      ['stuck', 'PLUGIN_SETUP_TIMEOUT'],
    ]);
  });
});
