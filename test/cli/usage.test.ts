// The `omnicore` command's contract (DESIGN.md §3) through the real process: `--help` on every verb
// prints its usage and exits 0, `--version` prints the version, and bad usage (an unknown option, a
// missing or extra argument) is one line on stderr with exit 2.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { assertBuilt, type Finished, spawnOmnicore } from '../support/processes.js';

const VERBS = [
  'start',
  'run',
  'migrate',
  'admin',
  'chat',
  'plugins',
  'payments',
  'ask',
  'anomalies',
  'experiments',
  'version',
];
let dataDir: string;

beforeAll(() => {
  assertBuilt();
  dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-usage-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function omnicore(...args: string[]): Promise<Finished> {
  const run = spawnOmnicore(args, { DATA_DIR: dataDir, PORT: '1', LOG_LEVEL: 'silent' }, 30_000);
  run.child.stdin?.end();
  return run.finished;
}

describe('omnicore usage', () => {
  it.each(VERBS)('%s --help prints that verb’s usage and exits 0', async (verb) => {
    const result = await omnicore(verb, '--help');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(new RegExp(`^usage: omnicore ${verb}`));
    expect(result.stderr).toBe('');
  });

  it('--version and --help answer at once', async () => {
    const version = await omnicore('--version');
    expect([version.code, version.stdout.trim()]).toEqual([0, VERSION]);
    const help = await omnicore('--help');
    expect(help.code).toBe(0);
    for (const verb of VERBS) expect(help.stdout).toMatch(new RegExp(`^  ${verb} `, 'm'));
  });

  it.each([
    [['anomalies', '--bogus'], /Unknown option '--bogus'/],
    [['anomalies'], /--csv FILE is required/],
    [['ask', '--bogus', 'hi'], /Unknown option '--bogus'/],
    [['plugins'], /no action/],
    [['plugins', 'enable'], /needs a plugin name/],
    [['plugins', 'list', '--bogus'], /Unknown option '--bogus'/],
    [['admin', 'create'], /needs a user name/],
    [['admin', 'remove', 'ops'], /unknown action "remove"/],
    [['chat', 'extra'], /unexpected argument "extra"/],
    [['payments'], /no action/],
    [['payments', 'refund'], /unknown action "refund"/],
    [['payments', 'reconcile', 'stripe'], /unexpected argument "stripe"/],
    [['payments', 'reconcile', '--since', 'soon'], /--since takes a number of hours above 0/],
    [['payments', 'reconcile', '--bogus'], /Unknown option '--bogus'/],
    [['migrate', '--bogus'], /unexpected argument "--bogus"/],
    [['version', 'extra'], /unexpected argument "extra"/],
  ])('%j is bad usage: one line, exit 2', async (args, message) => {
    const result = await omnicore(...args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^omnicore: /);
    expect(lines[0]).toMatch(message);
    expect(lines[0]).toContain(`usage: omnicore ${args[0]}`);
  });
});
