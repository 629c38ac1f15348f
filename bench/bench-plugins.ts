// The plugins the "11 plugins" figures run with: the example notes plugin and ten plugins like an
// operator's, each with a middleware that sees every update, a command and an event listener.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OMNICORE_CLI, ROOT } from './settings.js';

const BENCH_PLUGINS = 10;
export const PLUGIN_COUNT = BENCH_PLUGINS + 1;

/** Writes the plugins into `dir` (a plugins folder); returns their names, to switch on. */
export function writeBenchPlugins(dir: string): string[] {
  const names = ['notes'];
  cpSync(path.join(ROOT, 'examples/plugins/notes'), path.join(dir, 'notes'), { recursive: true });
  for (let index = 0; index < BENCH_PLUGINS; index++) {
    const name = `bench-${index}`;
    names.push(name);
    mkdirSync(path.join(dir, name), { recursive: true });
    writeFileSync(
      path.join(dir, name, 'index.mjs'),
      `export default { name: '${name}', version: '1.0.0', description: 'Bench plugin', platform: '*',
        setup(ctx) {
          let seen = 0;
          ctx.composer.use((c, next) => { seen++; return next(); });
          ctx.command('bench${index}', 'Bench command', (c) => c.reply('bench ' + seen));
          ctx.on('commandUsed', () => { seen++; });
        } };`,
    );
  }
  return names;
}

/** Switches plugins on in DATA_DIR's database with `omnicore plugins enable`, as an operator would. */
export function enablePlugins(dataDir: string, names: readonly string[]): void {
  execFileSync(process.execPath, [OMNICORE_CLI, 'plugins', 'enable', ...names], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
}
