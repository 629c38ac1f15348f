// `omnicore chat` as a separate process (the built dist/cli/main.js): a piped conversation with an
// in-process platform, talking to a running `omnicore start`, and refusing a server with a real bot.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  type Finished,
  freePort,
  type OmnicoreProcess,
  spawnOmnicore,
  waitUntilOk,
} from '../support/processes.js';
import { writeStarsPlugin } from '../support/stars-plugin.js';

/** Longest a chat may take before the test gives up on it. */
const CHAT_LIMIT_MS = 30_000;
const children = new Set<ChildProcess>();
let dataDir: string;
let port: number;

beforeAll(() => {
  assertBuilt();
});

beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'omnicore-chat-'));
  port = await freePort();
});

afterEach(() => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `omnicore <verb>` on this test's port and data directory. */
function omnicore(verb: string): OmnicoreProcess {
  const env = { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
  const child = spawnOmnicore(verb.split(' '), env, verb === 'start' ? undefined : CHAT_LIMIT_MS);
  children.add(child.child);
  return child;
}

/** A plugin whose /slow answers at once and again 6 s later: past any per-line wait the chat had. */
async function installSlowPlugin(): Promise<void> {
  const folder = path.join(dataDir, 'plugins', 'slow');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    path.join(folder, 'index.mjs'),
    `import { definePlugin } from 'omnicore/plugin';
export default definePlugin({
  name: 'slow', version: '1.0.0', description: 'answers late', platform: '^0.1.0',
  setup(ctx) {
    ctx.command('slow', 'answers late', async (c) => {
      await c.reply('working on it');
      await new Promise((resolve) => setTimeout(resolve, 6000));
      await c.reply('done at last');
    });
  },
});
`,
  );
  const enabled = await omnicore('plugins enable slow').finished;
  expect(enabled.code, enabled.stderr).toBe(0);
}

/** Runs `omnicore chat` with `script` piped to stdin and waits for it to exit. */
function chat(script: string): Promise<Finished> {
  const child = omnicore('chat');
  child.child.stdin?.end(script);
  return child.finished;
}

/** Index of the first line matching `pattern`, failing with the whole transcript if none does. */
function lineIndex(lines: string[], pattern: RegExp): number {
  const index = lines.findIndex((line) => pattern.test(line));
  expect(index, `no line matches ${pattern} in:\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('omnicore chat', () => {
  it('runs the platform in-process when nothing listens on PORT, and holds a conversation', async () => {
    const result = await chat('/start\n/settings\n[Deutsch]\n/help\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.ms).toBeLessThan(20_000);

    const lines = result.stdout.split('\n');
    const order = [
      lineIndex(lines, /^bot › Hello, You!/),
      lineIndex(lines, /^bot › Your language: English/),
      lineIndex(lines, /^\s+\[English\] \[Deutsch\] \[Español\] \[Русский\]$/),
      lineIndex(lines, /^bot \(notice\) › Erledigt: Ich spreche jetzt Deutsch mit dir\./),
      lineIndex(lines, /^bot \(edited\) › Deine Sprache: Deutsch/),
      lineIndex(lines, /^bot › Das kann ich:$/),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const help = lines.slice(order.at(-1));
    for (const command of ['/start', '/help', '/settings', '/cancel']) {
      expect(help.some((line) => line.startsWith(`${command} — `))).toBe(true);
    }
    // The in-process server is gone with the command.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('talks to the server already running on PORT and leaves it running', async () => {
    const server = omnicore('start');
    await waitUntilOk(`http://127.0.0.1:${port}/readyz`, server);
    const before = (await (await fetch(`http://127.0.0.1:${port}/emulator/chat`)).json()) as { lastSeq: number };

    const result = await chat('/start\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^bot › Hello, You! I'm OMNICore\./m);

    // The reply came from the server's own emulator, and the server is still up.
    const after = (await (await fetch(`http://127.0.0.1:${port}/emulator/chat`)).json()) as { lastSeq: number };
    expect(after.lastSeq).toBeGreaterThan(before.lastSeq);
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    server.child.kill('SIGTERM');
    const stopped = await server.finished;
    expect(stopped.code, stopped.stderr).toBe(0);
  });

  it('prints a reply that comes seconds later while stdin stays open', async () => {
    await installSlowPlugin();
    const child = omnicore('chat');
    child.child.stdin?.write('/slow\n');
    const deadline = Date.now() + 15_000;
    while (!child.output().includes('bot › done at last') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(child.output()).toContain('bot › done at last');
    child.child.stdin?.end();
    const result = await child.finished;
    expect(result.code, result.stderr).toBe(0);
  });

  it('when stdin closes, waits for the replies still due before it exits', async () => {
    await installSlowPlugin();
    const result = await chat('/slow\n');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lineIndex(lines, /^bot › working on it$/)).toBeLessThan(lineIndex(lines, /^bot › done at last$/));
  });

  it('shows an invoice with a Pay button, and pays it offline with [Pay]', async () => {
    writeStarsPlugin(path.join(dataDir, 'plugins'));
    const enabled = await omnicore('plugins enable premium').finished;
    expect(enabled.code, enabled.stderr).toBe(0);
    const result = await chat('/buy\n[Pay]\n/secret\n/raw\n[Pay]\n');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    const order = [
      lineIndex(lines, /^bot › \[Invoice: Premium — 50 ⭐\] \[Pay\]$/),
      lineIndex(lines, /^\(you paid 50 ⭐\)$/),
      lineIndex(lines, /^bot › Thank you for 50 XTR$/),
      lineIndex(lines, /^bot › the secret$/),
      lineIndex(lines, /^bot › \[Invoice: Raw — 5 ⭐\] \[Pay\]$/),
      lineIndex(lines, /^\(payment declined: This invoice is not valid any more\.\)$/),
    ];
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('refuses a server on PORT that runs a real bot, with one line on stderr', async () => {
    const notEmulator: Server = createHttpServer((_request, response) => {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"ok":false,"error":{"code":"OMNI_NOT_FOUND"}}');
    });
    await new Promise<void>((resolve) => notEmulator.listen(port, '127.0.0.1', resolve));
    try {
      const result = await chat('/start\n');
      expect(result.code).not.toBe(0);
      expect(result.code).not.toBeNull();
      expect(result.stdout).toBe('');
      const errorLines = result.stderr.trim().split('\n');
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatch(/^omnicore: .*emulator/);
    } finally {
      notEmulator.closeAllConnections();
      await new Promise((resolve) => notEmulator.close(resolve));
    }
  });
});
