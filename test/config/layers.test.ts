// `npm run lint` enforces the layer table of docs/ARCHITECTURE.md: dependency-cruiser, with the
// repository's own configuration, refuses an upward import, a sideways one, a cycle and a built-in
// plugin reaching past the public API. (`npm run lint` runs it on the repository itself.)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const DEPCRUISE = path.resolve('node_modules/.bin/depcruise');
const CONFIG = path.resolve('.dependency-cruiser.cjs');

function cruise(cwd: string): { status: number | null; output: string } {
  const result = spawnSync(DEPCRUISE, ['src', '--config', CONFIG], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the layer check', () => {
  const project = mkdtempSync(path.join(tmpdir(), 'omnicore-layers-'));
  cpSync('tsconfig.json', path.join(project, 'tsconfig.json'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    writeFileSync(path.join(project, file), text);
  };
  write('src/config/env.ts', 'export const env = 1;\n');
  write('src/bot/inbox.ts', "import { env } from '../config/env.js';\nexport const inbox = env;\n");
  write('src/plugins/api.ts', 'export const api = 1;\n');

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('passes an import from a lower layer', () => {
    expect(cruise(project)).toMatchObject({ status: 0 });
  });

  it('refuses an import upward, sideways, past the plugin API, and a cycle, naming the rule', () => {
    write('src/core/context.ts', "import { inbox } from '../bot/inbox.js';\nexport const c = inbox;\n");
    write('src/ops/retention.ts', "import { inbox } from '../bot/inbox.js';\nexport const r = inbox;\n");
    write(
      'src/builtin-plugins/shop/index.ts',
      "import { inbox } from '../../bot/inbox.js';\nexport const s = inbox;\n",
    );
    write('src/lib/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    write('src/lib/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    const { status, output } = cruise(project);
    expect(status).not.toBe(0);
    expect(output).toMatch(/layer-src\/core\/-upward: src\/core\/context\.ts → src\/bot\/inbox\.ts/);
    expect(output).toMatch(/layer-src\/ops\/-sideways: src\/ops\/retention\.ts → src\/bot\/inbox\.ts/);
    expect(output).toMatch(
      /builtin-plugins-public-api-only: src\/builtin-plugins\/shop\/index\.ts → src\/bot\/inbox\.ts/,
    );
    expect(output).toMatch(/no-circular: src\/lib\/a\.ts → /);
  });
});
