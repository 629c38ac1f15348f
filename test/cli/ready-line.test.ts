// The line `omnicore start` logs when it is ready tells a first-time operator where the admin panel
// is and, in emulator mode, how to chat with the bot.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { assertBuilt, type ServingOmnicore, startOmnicore } from '../support/processes.js';

let server: ServingOmnicore | undefined;
let dataDir: string | undefined;

beforeAll(() => {
  assertBuilt();
});

afterEach(() => {
  server?.child.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

it('names the panel URL and `npx omnicore chat` in emulator mode', async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-ready-'));
  server = await startOmnicore({ DATA_DIR: dataDir, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
  const deadline = Date.now() + 10_000;
  const readyLine = (): { msg: string; panel: string } | undefined =>
    server
      ?.output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; panel: string })
      .find((entry) => entry.msg.startsWith('OMNICore is ready'));
  while (!readyLine() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const line = readyLine();
  expect(line?.panel).toBe(`${server.url}/admin`);
  expect(line?.msg).toBe(`OMNICore is ready: admin panel at ${server.url}/admin; chat with: npx omnicore chat`);
});
