// SQLite serves one instance: a second `omnicore start` on the same DATA_DIR is refused in one line
// naming the running one, while other verbs keep working beside it; a server killed with SIGKILL
// does not block the next start. And the README's `omnicore instances` lines, run as written.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, freePort, type ServingOmnicore, spawnOmnicore, startOmnicore } from '../support/processes.js';
import { readmeBlocks, runReadmeLine } from '../support/readme.js';

describe('omnicore instances and single-instance SQLite', () => {
  let dataDir: string;
  let server: ServingOmnicore | undefined;

  beforeAll(() => {
    assertBuilt();
    dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-instances-'));
  });

  afterAll(() => {
    server?.killTree();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (args: string[], env: Record<string, string> = {}) =>
    spawnOmnicore(args, { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', ...env }, 60_000).finished;

  it('answers --help and refuses stray arguments', async () => {
    expect(await run(['instances', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('--json') });
    expect((await run(['instances', 'extra'])).code).toBe(2);
  });

  it('refuses a second start on the same SQLite file, naming the running instance; other verbs still work', async () => {
    server = await startOmnicore({ DATA_DIR: dataDir });
    const pid = server.child.pid as number;
    const second = await run(['start'], { PORT: String(await freePort()), LOG_LEVEL: 'warn' });
    expect(second.code).toBe(78);
    const line = second.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(new RegExp(`another instance runs on this SQLite database .*pid ${pid}, since \\d{4}-`));

    expect((await run(['migrate'])).code).toBe(0);
    const listed = await run(['instances', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const [only, ...rest] = JSON.parse(listed.stdout) as { pid: number; state: string; leader: boolean }[];
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ pid, state: 'live', leader: true });
  }, 90_000);

  it('starts again at once after the running server was killed with SIGKILL', async () => {
    const killed = server as ServingOmnicore;
    killed.killTree('SIGKILL');
    await killed.finished;
    server = await startOmnicore({ DATA_DIR: dataDir });
    const listed = JSON.parse((await run(['instances', '--json'])).stdout) as { pid: number; state: string }[];
    expect(listed.map((entry) => [entry.pid, entry.state])).toEqual([
      [server.child.pid, 'live'],
      [killed.child.pid, 'stopped'],
    ]);
  }, 90_000);

  it('runs the README lines as written', () => {
    const block = readmeBlocks('### Several instances')[0] as string;
    const lines = block.split('\n').filter((line) => line.startsWith('npx omnicore instances'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const fresh = mkdtempSync(path.join(tmpdir(), 'omnicore-instances-readme-'));
    try {
      for (const line of lines) {
        const output = runReadmeLine(line, fresh);
        if (line.includes('--json')) expect(JSON.parse(output)).toEqual([]);
        else expect(output.trim()).toBe('no instance has run on this database yet');
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
