// `omnicore <plugin> <verb>` through the real process, on SQLite and PostgreSQL: a fixture plugin's
// verbs store, read stdin, print, report progress, fail and misuse their arguments; each exit code
// and message is the contract's, the plugin is off all along, and the running platform then sees
// what a verb stored, audited and kept as a secret.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed } from 'omnicore/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { assertBuilt, type Finished, spawnOmnicore } from '../support/processes.js';

// Inside the repository, where `omnicore/plugin` resolves as it does for an installed package.
const pluginsDir = fileURLToPath(new URL(`../../test-results/plugin-verbs-${process.pid}/`, import.meta.url));

const STASH = `import { definePlugin } from 'omnicore/plugin';

export default definePlugin({
  name: 'stash',
  version: '1.0.0',
  description: 'Keeps values, also from the omnicore command',
  platform: '*',
  setup(ctx) {
    ctx.command('get', 'Shows a stored value', async (c) => {
      await c.reply('value: ' + ((await ctx.storage.get(String(c.match))) ?? 'none'));
    });
    ctx.cli.verb('put', {
      summary: 'store a value',
      usage: 'usage: omnicore stash put <key> <value>',
      async run({ args, stdout, usage }) {
        if (args.length !== 2) usage('put takes a key and a value');
        await ctx.storage.set(args[0], args[1]);
        await ctx.audit('put', { actor: 'cli', target: args[0] });
        stdout.write('stored ' + args[0] + '\\n');
      },
    });
    ctx.cli.verb('import', {
      summary: 'store each line of stdin as a value',
      usage: 'usage: omnicore stash import < lines.txt',
      async run({ stdin, stdout, progress }) {
        let text = '';
        for await (const chunk of stdin) text += chunk;
        const lines = text.split('\\n').filter(Boolean);
        for (const [index, line] of lines.entries()) {
          const [key, value] = line.split('=');
          await ctx.storage.set(key, value);
          progress(index + 1, lines.length);
        }
        stdout.write('imported ' + lines.length + '\\n');
      },
    });
    ctx.command('token', 'Shows the kept token’s hint', async (c) => {
      const [info] = await ctx.secrets.list();
      await c.reply('token …' + info.hint + ', ' + (await ctx.secrets.get(info.name)).length + ' characters');
    });
    ctx.cli.verb('login', {
      summary: 'keep a token read from stdin',
      usage: 'usage: omnicore stash login < token.txt',
      async run({ stdin, stdout }) {
        let token = '';
        for await (const chunk of stdin) token += chunk;
        await ctx.secrets.set('github.token', token.trim());
        stdout.write('kept for ' + ctx.integrations.github.apiRoot + '\\n');
      },
    });
    ctx.cli.verb('count', {
      summary: 'counts to n',
      usage: 'usage: omnicore stash count <n>',
      run({ args, progress }) {
        for (let done = 1; done <= Number(args[0]); done++) progress(done, Number(args[0]));
      },
    });
    ctx.cli.verb('fail', {
      summary: 'fails',
      usage: 'usage: omnicore stash fail',
      run() {
        throw new Error('the stash is locked\\nand this line is not shown');
      },
    });
    ctx.cli.verb('code', {
      summary: 'exits with the code given',
      usage: 'usage: omnicore stash code <n>',
      run: ({ args }) => Number(args[0]),
    });
  },
});
`;

beforeAll(() => {
  assertBuilt();
  mkdirSync(path.join(pluginsDir, 'stash'), { recursive: true });
  writeFileSync(path.join(pluginsDir, 'stash', 'index.mjs'), STASH);
});
afterAll(() => rmSync(pluginsDir, { recursive: true, force: true }));

describe.each(DATABASE_KINDS)('omnicore <plugin> <verb> on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(() => database.dispose());

  function omnicore(args: string[], stdin = '', options: { terminal?: boolean } = {}): Promise<Finished> {
    const env = {
      DATA_DIR: database.dataDir,
      PLUGINS_DIR: pluginsDir,
      PORT: '1',
      LOG_LEVEL: 'silent',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    };
    const run = spawnOmnicore(args, env, 30_000, options);
    if (!options.terminal) run.child.stdin?.end(stdin);
    return run.finished;
  }

  it('runs verbs of a plugin that is off: what they store, the running platform sees', async () => {
    const put = await omnicore(['stash', 'put', 'colour', 'teal']);
    expect([put.code, put.stdout, put.stderr]).toEqual([0, 'stored colour\n', '']);
    const lines = Array.from({ length: 5 }, (_, index) => `k${index}=v${index}`).join('\n');
    const imported = await omnicore(['stash', 'import'], `${lines}\n`);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toBe('imported 5\n');
    // Not a terminal: a line now and then (here the first), and the last state at the end.
    expect(imported.stderr).toBe('[##........] 20% 1/5\n[##########] 100% 5/5\n');
    const login = await omnicore(['stash', 'login'], 'ghp_fixture-token-0123456789\n');
    expect([login.code, login.stdout, login.stderr]).toEqual([0, 'kept for https://api.github.com\n', '']);

    const bed = await createPluginTestBed({
      pluginsDir,
      enable: { stash: true },
      env: { DATA_DIR: database.dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) },
    });
    try {
      bed.push('/get colour');
      expect(await bed.popText()).toBe('value: teal');
      bed.push('/get k4');
      expect(await bed.popText()).toBe('value: v4');
      // Sealed by the CLI, opened by the server: the same key file in DATA_DIR.
      bed.push('/token');
      expect(await bed.popText()).toBe('token …6789, 28 characters');
      const audit = await (await bed.admin()).get('/admin/audit');
      expect(audit.status).toBe(200);
      expect(audit.body).toContain('plugin.stash.put');
    } finally {
      await bed.close();
    }
  });

  it('answers failures with one line and exit 1, bad usage with exit 2, and a returned code as is', async () => {
    const failed = await omnicore(['stash', 'fail']);
    expect([failed.code, failed.stdout, failed.stderr]).toEqual([1, '', 'omnicore: stash fail: the stash is locked\n']);
    const misused = await omnicore(['stash', 'put', 'only-a-key']);
    expect(misused.code).toBe(2);
    expect(misused.stderr).toBe(
      'omnicore: stash put: put takes a key and a value (usage: omnicore stash put <key> <value>)\n',
    );
    expect((await omnicore(['stash', 'code', '3'])).code).toBe(3);
    const notACode = await omnicore(['stash', 'code', '300']);
    expect([notACode.code, notACode.stderr]).toEqual([1, 'omnicore: stash code: returned 300, not an exit code\n']);
  });

  it('lists the verbs on --help and on an unknown verb, and refuses an unknown plugin', async () => {
    const help = await omnicore(['stash', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: omnicore stash <verb>/);
    expect(help.stdout).toMatch(/^ {2}put +store a value$/m);
    expect(help.stdout).toMatch(/^ {2}import +store each line of stdin as a value$/m);
    const verbHelp = await omnicore(['stash', 'import', '--help']);
    expect([verbHelp.code, verbHelp.stdout]).toEqual([0, 'usage: omnicore stash import < lines.txt\n']);
    const unknown = await omnicore(['stash', 'explode']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^omnicore: stash has no verb "explode"\nusage: omnicore stash <verb>/);
    expect(unknown.stderr).toMatch(/^ {2}fail +fails$/m);
    const bare = await omnicore(['stash']);
    expect([bare.code, bare.stderr.split('\n')[0]]).toEqual([2, 'usage: omnicore stash <verb> [args] [--help]']);
    const nobody = await omnicore(['nobody', 'export']);
    expect([nobody.code, nobody.stderr]).toEqual([2, 'omnicore: unknown command "nobody" (try: omnicore --help)\n']);
  });

  it.runIf(kind === 'sqlite')('draws a bar redrawn in place on a terminal', async () => {
    const run = await omnicore(['stash', 'count', '3'], '', { terminal: true });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('\r\u001b[K[###.......] 33% 1/3');
    // The last state once more at the end, and the bar's line ended.
    expect(run.stdout.split('\r\u001b[K[##########] 100% 3/3')[1]).toMatch(/^\r?\n/);
  });
});

describe('omnicore --help', () => {
  it('says plugins add verbs, without loading any', async () => {
    const run = spawnOmnicore(['--help'], { PLUGINS_DIR: '/nonexistent', PORT: '1' }, 30_000);
    run.child.stdin?.end();
    const help = await run.finished;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('omnicore <plugin> <verb> [args]');
  });
});
