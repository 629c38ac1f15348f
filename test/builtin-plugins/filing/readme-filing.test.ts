// The README's "Filing system", run as written (`npx omnicore` is this checkout's built CLI): a folder
// made, opened, a member given a role and the department exported in `omnicore chat`, printing what
// the README shows (its date as any date); after a restart on the same DATA_DIR the folder is still
// there. And `/file <path> <item id>`, which the README names.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt } from '../../support/processes.js';
import { readmeBlocks, runReadmeLine, shownOutput } from '../../support/readme.js';

const [tryIt, shown] = readmeBlocks('### Filing system') as [string, string];
const run = (line: string, dataDir: string) => runReadmeLine(line, dataDir);
/** The output the README shows, with its date as any date. */
const asPattern = (text: string) => shownOutput(text, [{ find: /\d{4}-\d{2}-\d{2}/, as: '\\d{4}-\\d{2}-\\d{2}' }]);

const asAdmin = (lines: string) => `printf '${lines}' | ADMIN_TELEGRAM_IDS=1001 npx omnicore chat`;

describe('the README filing system, offline', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-readme-filing-'));

  beforeAll(() => assertBuilt());
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('makes a folder, gives a role and exports, printing what the README shows', () => {
    const [enable, chat] = tryIt.trim().split('\n') as [string, string];
    expect(run(enable, dataDir).trim()).toBe('content enabled\nfiling enabled');
    expect(run(chat, dataDir).trim()).toMatch(asPattern(shown));
  });

  it('still has the folder after a restart on the same DATA_DIR', () => {
    const again = run(asAdmin('/files company/sales\\n'), dataDir);
    expect(again).toContain('[📁 Globex]');
  });

  it('files an item its owner saved, by its id, and finds it in the folder', () => {
    const saved = run(asAdmin('/save Globex master agreement, signed copy\\n'), dataDir);
    const id = /Saved as ([a-z0-9]+)/.exec(saved)?.[1] ?? '?';
    const filed = run(asAdmin(`/file company/sales/globex ${id}\\n/find company/sales globex agreement\\n`), dataDir);
    expect(filed).toContain(`Filed “Globex master agreement, signed copy” in company/sales/globex. /get ${id}`);
    expect(filed).toContain(`Found in company/sales:\n\n• Globex master agreement, signed copy — /get ${id}\n`);
  });
});
