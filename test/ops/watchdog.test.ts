// The watchdog thread on its own, in child processes running the built code: a blocked event loop
// and a filling heap are each seen, located on the main thread's stack (the function and file that
// were running) and written down; supervised, a blocked process is ended.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt } from '../support/processes.js';

const WATCHDOG = pathToFileURL(path.resolve('dist/ops/watchdog/watchdog.js')).href;

/** The episode the script printed (the watchdog's own log line comes before it). */
function lastEpisode(stdout: string): { reason: string; detail: string; frames: string[] } {
  return JSON.parse(stdout.trim().split('\n').at(-1) as string);
}

describe('watchdog', () => {
  let dir: string;
  let recordFile: string;

  beforeEach(() => {
    assertBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'omnicore-watchdog-'));
    recordFile = path.join(dir, 'crash-record.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs a script that starts the watchdog, then does `body`; prints the episode it is told of. */
  const run = (body: string, options: { supervised: boolean; nodeArgs?: string[] }) => {
    const script = path.join(dir, 'culprit.mjs');
    writeFileSync(
      script,
      `import { startWatchdog } from '${WATCHDOG}';
startWatchdog({
  limitMs: 400,
  supervised: ${options.supervised},
  recordFile: ${JSON.stringify(recordFile)},
  onEpisode: (record) => { console.log(JSON.stringify(record)); process.exit(0); },
});
setTimeout(async () => { ${body} }, 300);
// A server stays up after an episode; so does this script, until it is told of it.
setTimeout(() => {}, 10_000);
`,
    );
    return spawnSync(process.execPath, [...(options.nodeArgs ?? []), script], { encoding: 'utf8', timeout: 30_000 });
  };

  it('finds the function that holds the event loop, and lets it finish when not supervised', () => {
    const result = run(
      `function spinForAWhile() { const until = Date.now() + 1500; while (Date.now() < until) {} } spinForAWhile();`,
      { supervised: false },
    );
    const episode = lastEpisode(result.stdout);
    expect(episode.reason).toBe('blocked');
    expect(episode.frames[0]).toMatch(/culprit\.mjs:\d+ spinForAWhile/);
  });

  it('ends a blocked process when supervised, leaving a record of where it was', () => {
    const result = run(`function spinForever() { for (;;) {} } spinForever();`, { supervised: true });
    expect(result.signal).toBe('SIGKILL');
    expect(result.stdout).toMatch(/watchdog: the event loop was blocked/);
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { reason: string; frames: string[] };
    expect(record).toMatchObject({ reason: 'blocked' });
    expect(record.frames[0]).toMatch(/culprit\.mjs:\d+ spinForever/);
  });

  it('sees the heap filling before V8 gives up', () => {
    const result = run(
      // About 80 MB/s: fast enough to be a leak, slow enough that a loaded machine's watchdog thread
      // (started with the process, checking every 50 ms) still sees the last 15 % of the heap go.
      `const hoard = [];
       async function hoardForever() { for (let i = 0; ; i++) { hoard.push(new Array(20_000).fill(i)); await new Promise((resolve) => setTimeout(resolve, 2)); } }
       await hoardForever();`,
      { supervised: false, nodeArgs: ['--max-old-space-size=200'] },
    );
    expect(result.stderr).not.toMatch(/heap out of memory/);
    const episode = lastEpisode(result.stdout);
    expect(episode).toMatchObject({ reason: 'memory', detail: expect.stringMatching(/the heap reached \d+ MiB/) });
    expect(existsSync(recordFile)).toBe(true);
  });
});
