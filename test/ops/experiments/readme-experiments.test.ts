// The README's "Experiments" session run as written (`npx omnicore` is this checkout's built CLI): the
// targets listed, an experiment started and stopped, and the stopped one listed, printing what the
// README shows (its times as any time); listed again by a later process on the same DATA_DIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../../support/processes.js';
import { readmeBlocks, runReadmeLine, shownOutput } from '../../support/readme.js';

const [session, shown] = readmeBlocks('## Experiments: the bot tunes itself') as [string, string];
/** An ISO time, as it stands in the escaped pattern (its dot escaped). */
const TIME = { find: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\\\.\d{3}Z/, as: '\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z' };

describe('the README experiments session', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-readme-experiments-'));

  beforeAll(() => assertBuilt());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints what the README shows', () => {
    const lines = session.trim().split('\n');
    const output = lines.map((line) => runReadmeLine(line, dataDir)).join('');
    expect(output.trim()).toMatch(shownOutput(shown, [TIME]));
  });

  it('still lists the stopped experiment from a new process on the same DATA_DIR', () => {
    const last = session.trim().split('\n').at(-1) as string;
    expect(runReadmeLine(last, dataDir)).toContain('stopped by cli: checking the copy first');
  });
});
