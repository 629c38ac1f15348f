// The TypeScript example plugin (examples/plugins-typescript/tips) built and run as its author
// would: omnicore and zod installed beside it (here: linked), `tsc` with its own tsconfig, the
// built folder in a plugins directory, driven through `omnicore/testing`.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const EXAMPLE = path.resolve('examples/plugins-typescript/tips');

describe('a plugin written in TypeScript', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-ts-plugin-'));
  const folder = path.join(pluginsDir, 'tips');
  let bed: PluginTestBed;

  beforeAll(async () => {
    cpSync(EXAMPLE, folder, { recursive: true, filter: (source) => !/[/\\](dist|node_modules)$/.test(source) });
    // What `npm install --save-dev omnicore zod` gives the author.
    mkdirSync(path.join(folder, 'node_modules'));
    symlinkSync(process.cwd(), path.join(folder, 'node_modules', 'omnicore'), 'dir');
    symlinkSync(path.resolve('node_modules/zod'), path.join(folder, 'node_modules', 'zod'), 'dir');
    execFileSync(process.execPath, [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: folder,
      stdio: 'pipe',
    });
    bed = await createPluginTestBed({ pluginsDir, enable: { tips: { tips: ['Sleep well.', 'Stretch.'] } } });
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('compiles against the typed plugin API and runs with its typed configuration', async () => {
    bed.push('/tip');
    expect(await bed.popText()).toBe('Tip 1: Sleep well.');
    bed.push('/tip');
    expect(await bed.popText()).toBe('Tip 2: Stretch.');
    bed.push('/tip');
    expect(await bed.popText()).toBe('Tip 3: Sleep well.');
  });

  it('fails to compile when the configuration is used against its type', () => {
    const broken = path.join(folder, 'src', 'broken.ts');
    cpSync(path.join(folder, 'src', 'index.ts'), broken);
    execFileSync('sed', ['-i', 's/const { tips } = ctx.config;/const tips: number = ctx.config.tips;/', broken]);
    let output = '';
    try {
      execFileSync(
        process.execPath,
        [path.resolve('node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
        {
          cwd: folder,
          stdio: 'pipe',
        },
      );
    } catch (error) {
      output = String((error as { stdout: Buffer }).stdout);
    } finally {
      rmSync(broken);
    }
    expect(output).toMatch(/broken\.ts.*error TS2322: Type 'string\[\]' is not assignable to type 'number'/);
  });
});
