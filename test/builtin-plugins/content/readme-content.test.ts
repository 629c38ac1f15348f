// The README's "Content store and filing system", run as written (`npx omnicore` is this checkout's
// built CLI): the content store switched on, two saves and a search in `omnicore chat` printing what
// the README shows (its ids being random), the items still found after a restart on the same
// DATA_DIR, and the export and import commands moving them to another installation.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../../support/processes.js';
import { readmeBlocks, runReadmeLine, shownOutput } from '../../support/readme.js';

const [tryIt, shown, transfer] = readmeBlocks('## Content store and filing system') as [string, string, string];
const run = runReadmeLine;
/** The output the README shows, with its item ids as any id. */
const asPattern = (text: string) =>
  shownOutput(text, [{ find: /\b(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{8}\b/, as: '[a-z0-9]{8}' }]);

describe('the README content store, offline', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'omnicore-readme-content-'));
  const dataDir = path.join(work, 'data');
  const otherDataDir = path.join(work, 'other');

  beforeAll(() => assertBuilt());
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('saves and searches in omnicore chat, printing what the README shows', () => {
    const [enable, chat] = tryIt.trim().split('\n') as [string, string];
    expect(run(enable, dataDir, work).trim()).toBe('content enabled');
    const output = run(chat, dataDir, work).trim();
    expect(output).toMatch(asPattern(shown));
    // The first id printed is the first item's, in the search's results too.
    const [first, second] = [...output.matchAll(/Saved as ([a-z0-9]{8})/g)].map((match) => match[1]);
    expect(output).toContain(`Lisbon · ${first} · text`);
    expect(output).toContain(`find · ${second} · text`);
  });

  it('still finds the items after a restart on the same DATA_DIR', () => {
    const after = run("printf '/search lisbon\\n' | npx omnicore chat", dataDir, work);
    expect(after).toContain('Ship the beta before the summit in Lisbon');
  });

  it('exports and imports them with the commands as written', () => {
    const [exportLine, importLine] = transfer.trim().split('\n') as [string, string];
    run(exportLine, dataDir, work);
    expect(readFileSync(path.join(work, 'items.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    expect(run(importLine, otherDataDir, work).trim()).toBe('2 imported, 0 already present, 0 refused');
    // The import works whether the plugin is on or off there; its commands answer once it is on.
    run('npx omnicore plugins enable content', otherDataDir, work);
    const found = run("printf '/search feedback\\n' | npx omnicore chat", otherDataDir, work);
    expect(found).toContain('Beta feedback: the export button is hard to find');
  });
});
