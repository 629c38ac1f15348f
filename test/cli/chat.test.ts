// `omnicore chat` as a separate process (the built dist/cli/main.js): a piped conversation with an
// in-process platform, talking to a running `omnicore start`, and refusing a server with a real bot.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
/** Longest a command may take before the test gives up on it. */
const RUN_LIMIT_MS = 30_000;

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

const children = new Set<ChildProcess>();
let dataDir: string;
let port: number;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
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

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return free;
}

/** Starts `omnicore <verb>` with only the environment this test decides. */
function omnicore(verb: string): ChildProcess & { finished: Promise<Finished>; output: () => string } {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, verb], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`omnicore ${verb} still running after ${RUN_LIMIT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, RUN_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  finished.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  return Object.assign(child, { finished, output: () => `stdout: ${stdout}\nstderr: ${stderr}` });
}

/** Runs `omnicore chat` with `script` piped to stdin and waits for it to exit. */
function chat(script: string): Promise<Finished> {
  const child = omnicore('chat');
  child.stdin?.end(script);
  return child.finished;
}

/** Polls `url` until it answers 200, failing early if `server` exits. */
async function waitUntilOk(url: string, server: ReturnType<typeof omnicore>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}\n${server.output()}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} not 200 within ${ms} ms (last ${status})\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
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
    expect(server.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    server.kill('SIGTERM');
    const stopped = await server.finished;
    expect(stopped.code, stopped.stderr).toBe(0);
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
