// Plugins found on disk wherever PLUGINS_DIR is: they may import the platform's omnicore, zod and
// grammY without installing them, and a folder that fails to import is reported, not fatal. Run
// through the built CLI, because Node's module hooks are what makes the sharing work, and a test
// runner that loads modules itself would hide them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnOmnicore } from '../support/processes.js';

const root = mkdtempSync(path.join(tmpdir(), 'omnicore-plugins-'));

const write = (folder: string, file: string, source: string): void => {
  mkdirSync(path.join(root, folder), { recursive: true });
  writeFileSync(path.join(root, folder, file), source);
};

describe('discoverPlugins', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('loads plugins outside the installation that import omnicore, zod and grammy', async () => {
    write(
      'outside',
      'index.mjs',
      `import { definePlugin } from 'omnicore/plugin';
      import { z } from 'zod';
      import { InlineKeyboard } from 'grammy';
      export default definePlugin({ name: 'outside', version: '1.0.0', description: 'x', platform: '*',
        configSchema: z.object({ n: z.number().default(1) }), setup() { new InlineKeyboard(); } });`,
    );
    write('by-main', 'package.json', JSON.stringify({ main: 'lib/entry.js', type: 'module' }));
    write(
      'by-main/lib',
      'entry.js',
      "export const plugin = { name: 'by-main', version: '0.1.0', description: 'y', platform: '*', setup() {} };",
    );
    write('syntax', 'index.mjs', 'export default {');
    write('missing-dep', 'index.mjs', "import 'no-such-package-anywhere'; export default {};");
    write('not-a-plugin', 'README.txt', 'no entry file: ignored');

    const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-data-'));
    const listed = await spawnOmnicore(['plugins', 'list', '--json'], { DATA_DIR: dataDir, PLUGINS_DIR: root }, 30_000)
      .finished;
    rmSync(dataDir, { recursive: true, force: true });
    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout) as { name: string; refused?: { code: string } }[];
    const summary = entries.map((entry) => [entry.name, entry.refused?.code ?? 'ok']).sort();
    expect(summary).toEqual([
      ['ai-suggestions', 'ok'],
      ['by-main', 'ok'],
      ['missing-dep', 'PLUGIN_LOAD_FAILED'],
      ['outside', 'ok'],
      ['syntax', 'PLUGIN_LOAD_FAILED'],
    ]);
  });
});
