// The README's "Broadcasts", run as written (`npx omnicore` is this checkout's built CLI): the
// plugin switched on and paced, a user seen, and /broadcast in `omnicore chat` printing what the
// README shows (its id being random) with the broadcast itself arriving in the same chat.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../../support/processes.js';
import { readmeBlocks, runReadmeLineAsync, shownOutput } from '../../support/readme.js';

const [tryIt, shown] = readmeBlocks('## Broadcasts') as [string, string];

describe('the README broadcasts example', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'omnicore-readme-broadcasts-'));
  const dataDir = path.join(work, 'data');
  const run = async (line: string) => (await runReadmeLineAsync(line, dataDir, work)).trim();

  beforeAll(() => {
    assertBuilt();
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('switches the plugin on, paces it and broadcasts from omnicore chat', async () => {
    const [enable, configure, start, broadcast] = tryIt.trim().split('\n') as [string, string, string, string];
    expect(await run(enable)).toBe('broadcasts enabled');
    expect(await run(configure)).toBe('broadcasts configured: ratePerSecond');
    expect(await run('npx omnicore plugins config broadcasts')).toContain('ratePerSecond = 25');
    expect(await run(start)).toMatch(/^bot › Hello/);
    expect(await run(broadcast)).toMatch(shownOutput(shown, [{ find: /\bmx31w6gzc98361\b/, as: '[a-z0-9]{10,24}' }]));
  }, 90_000);
});
