// A test bed that fails to start leaves nothing behind: its platform is stopped (no server left
// listening) and its temporary data directory is removed, and the error says what went wrong.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed } from 'omnicore/testing';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

const EXAMPLES = fileURLToPath(new URL('../../examples/plugins/', import.meta.url));

let scratch: string;
let previousTmpdir: string | undefined;

beforeEach(() => {
  // The bed makes its data directory under os.tmpdir(), which follows TMPDIR: here, a folder of this test's own.
  scratch = mkdtempSync(path.join(tmpdir(), 'omnicore-bed-start-'));
  previousTmpdir = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
});

afterEach(() => {
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  rmSync(scratch, { recursive: true, force: true });
});

const listeningServers = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;

it('stops the platform and removes its data directory when a plugin cannot be switched on', async () => {
  const before = listeningServers();
  await expect(createPluginTestBed({ pluginsDir: EXAMPLES, enable: { 'tip-jar': { stars: 0 } } })).rejects.toThrow(
    /stars/,
  );
  expect(readdirSync(scratch)).toEqual([]);
  // A closed server's handle is released on the event loop's next turn.
  await vi.waitFor(() => expect(listeningServers()).toBe(before), { timeout: 2000 });
});

it('removes its data directory when the environment is refused', async () => {
  await expect(createPluginTestBed({ pluginsDir: EXAMPLES, env: { PORT: 'not-a-port' } })).rejects.toThrow(/PORT/);
  expect(readdirSync(scratch)).toEqual([]);
});
