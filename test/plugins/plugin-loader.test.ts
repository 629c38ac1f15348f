// Plugins found on disk wherever PLUGINS_DIR is: they may import the platform's omnicore, zod and
// grammY without installing them, and a folder that fails to load is reported by name, never fatal.
// Run through the built CLI, because Node's module hooks are what makes the sharing work, and a
// test runner that loads modules itself would hide them.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, spawnOmnicore } from '../support/processes.js';

const root = mkdtempSync(path.join(tmpdir(), 'omnicore-plugins-'));
/** Files that no plugin folder holds: what an entry escaping its folder would reach. */
const elsewhere = mkdtempSync(path.join(tmpdir(), 'omnicore-elsewhere-'));

const write = (folder: string, file: string, source: string, base = root): void => {
  mkdirSync(path.join(base, folder), { recursive: true });
  writeFileSync(path.join(base, folder, file), source);
};

const valid = (name: string): string =>
  `export default { name: '${name}', version: '1.0.0', description: 'd', platform: '*', setup() {} };`;

/** A plugin whose import leaves a trace: that code outside a plugin's folder never ran. */
const tracer = (name: string): string =>
  `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(path.join(elsewhere, 'ran'))}, '${name}');
  ${valid(name)}`;

interface Listed {
  name: string;
  refused?: { code: string; message: string };
}

async function list(json: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-data-'));
  try {
    const args = ['plugins', 'list', ...(json ? ['--json'] : [])];
    return await spawnOmnicore(args, { DATA_DIR: dataDir, PLUGINS_DIR: root }, 30_000).finished;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('discoverPlugins', () => {
  beforeAll(() => assertBuilt());
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(elsewhere, { recursive: true, force: true });
  });

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

    const listed = await list(true);
    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout) as Listed[];
    const summary = entries.map((entry) => [entry.name, entry.refused?.code ?? 'ok']).sort();
    expect(summary).toEqual([
      ['ai-suggestions', 'ok'],
      ['broadcasts', 'ok'],
      ['by-main', 'ok'],
      ['content', 'ok'],
      ['filing', 'ok'],
      ['missing-dep', 'PLUGIN_LOAD_FAILED'],
      ['outside', 'ok'],
      ['publishing', 'ok'],
      ['shop', 'ok'],
      ['syntax', 'PLUGIN_LOAD_FAILED'],
    ]);
  });

  describe('folder rules', () => {
    let entries: Listed[];
    let text: string;
    const refusal = (name: string) => entries.find((entry) => entry.name === name)?.refused;

    beforeAll(async () => {
      rmSync(root, { recursive: true, force: true });
      write('good', 'index.mjs', valid('good'));
      // Malformed package.json: refused by name, the others still load.
      write('bad-json', 'package.json', '{ "main": "index.mjs", }');
      write('bad-json', 'index.mjs', valid('bad-json'));
      // Entries that leave their folder: by `..`, by an absolute path, by a symlinked file.
      write('target', 'evil.mjs', tracer('evil'), elsewhere);
      write('dotdot', 'package.json', JSON.stringify({ main: `../../${path.basename(elsewhere)}/target/evil.mjs` }));
      write('absolute', 'package.json', JSON.stringify({ main: path.join(elsewhere, 'target', 'evil.mjs') }));
      mkdirSync(path.join(root, 'linked-file'));
      symlinkSync(path.join(elsewhere, 'target', 'evil.mjs'), path.join(root, 'linked-file', 'index.mjs'));
      // A symlinked folder is followed; one whose entry escapes the link's target is refused; a
      // broken link is reported; a link to a file is not a plugin.
      write('real-plugin', 'index.mjs', valid('via-link'), elsewhere);
      symlinkSync(path.join(elsewhere, 'real-plugin'), path.join(root, 'via-link'));
      write('escaping-target', 'package.json', JSON.stringify({ main: '../target/evil.mjs' }), elsewhere);
      symlinkSync(path.join(elsewhere, 'escaping-target'), path.join(root, 'link-escape'));
      symlinkSync(path.join(elsewhere, 'gone'), path.join(root, 'dangling'));
      symlinkSync(path.join(root, 'notes.txt'), path.join(root, 'file-link'));
      // No entry file: reported. Dot-folders and plain files are not plugins.
      write('empty', 'README.txt', 'no entry file');
      write('.hidden', 'index.mjs', 'export default {');
      writeFileSync(path.join(root, 'notes.txt'), 'a plain file');
      const [json, plain] = await Promise.all([list(true), list(false)]);
      expect(json.code, json.stderr).toBe(0);
      expect(plain.code, plain.stderr).toBe(0);
      entries = JSON.parse(json.stdout) as Listed[];
      text = plain.stdout;
    });

    it('refuses a folder with a malformed package.json by name, and loads the others', () => {
      expect(refusal('bad-json')?.code).toBe('PLUGIN_LOAD_FAILED');
      expect(refusal('bad-json')?.message).toMatch(/bad-json: package\.json is not valid JSON: .*JSON/);
      expect(entries.find((entry) => entry.name === 'good')?.refused).toBeUndefined();
      expect(text).toMatch(/bad-json +— refused \(PLUGIN_LOAD_FAILED\)/);
      expect(text).toMatch(/good 1\.0\.0 — disabled/);
    });

    it('refuses an entry file outside its folder without running it', () => {
      for (const name of ['dotdot', 'absolute', 'linked-file', 'link-escape']) {
        expect(refusal(name), name).toMatchObject({ code: 'PLUGIN_ENTRY_OUTSIDE' });
        expect(refusal(name)?.message, name).toContain(`${name}: `);
      }
      expect(refusal('dotdot')?.message).toContain(path.join(elsewhere, 'target', 'evil.mjs'));
      expect(existsSync(path.join(elsewhere, 'ran'))).toBe(false);
    });

    it('follows a symlinked folder and reports a broken link', () => {
      expect(entries.find((entry) => entry.name === 'via-link')).toMatchObject({ version: '1.0.0' });
      expect(entries.find((entry) => entry.name === 'via-link')?.refused).toBeUndefined();
      expect(refusal('link-escape')?.message).toContain(path.join(elsewhere, 'escaping-target'));
      expect(refusal('dangling')).toMatchObject({ code: 'PLUGIN_LOAD_FAILED' });
      expect(refusal('dangling')?.message).toContain(`dangling: broken symlink to ${path.join(elsewhere, 'gone')}`);
      expect(entries.map((entry) => entry.name)).not.toContain('file-link');
    });

    it('reports a folder without an entry file, and ignores dot-folders and plain files', () => {
      expect(refusal('empty')).toMatchObject({ code: 'PLUGIN_NO_ENTRY' });
      expect(refusal('empty')?.message).toMatch(/empty: none of index\.js, index\.mjs exists/);
      expect(text).toMatch(/empty +— refused \(PLUGIN_NO_ENTRY\)/);
      const names = entries.map((entry) => entry.name);
      for (const ignored of ['.hidden', 'notes.txt']) expect(names).not.toContain(ignored);
    });
  });
});
