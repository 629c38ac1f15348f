// Runs `omnicore` (the built dist/) as a child process, as an operator would, for tests that pipe
// into it, kill it, or restart it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCache } from './test-run.js';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * The working directory of every `omnicore` a test runs: empty, so that an operator's `.env` in the
 * repository (which `omnicore` reads from its working directory) never reaches a test.
 */
export const WORKING_DIR = path.join(tmpdir(), 'omnicore-test-cwd');
mkdirSync(WORKING_DIR, { recursive: true });

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface OmnicoreProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited and its output is complete. */
  readonly finished: Promise<Finished>;
  output(): string;
  /**
   * Signals the process and everything it started, deepest first: a supervisor (`omnicore run`)
   * killed alone leaves its server running, holding the output pipes open.
   */
  killTree(signal?: NodeJS.Signals): void;
}

/** Every process below `pid`, deepest first (Linux /proc). */
function descendantsOf(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [...descendantsOf(child), child]);
}

export interface ServingOmnicore extends OmnicoreProcess {
  readonly url: string;
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `omnicore <command…>` with only the environment the test decides (plus PATH, and the run's
 * shared CACHE_DIR: see test-run.ts). A command that
 * should end by itself gets `limitMs`, after which it is killed and `finished` rejects; a server
 * runs until the test stops it. With `terminal`, it runs on a pseudo-terminal (util-linux `script`),
 * as when an operator types at it: what the test writes is typed, and stdout carries the terminal's
 * output (stderr included).
 */
export function spawnOmnicore(
  command: string | string[],
  env: Record<string, string>,
  limitMs?: number,
  options: { terminal?: boolean } = {},
): OmnicoreProcess {
  const args = Array.isArray(command) ? command : [command];
  const started = Date.now();
  const argv = [process.execPath, CLI, ...args];
  const [file, fileArgs] = options.terminal
    ? ['script', ['-qec', argv.map(shellQuote).join(' '), '/dev/null']]
    : [process.execPath, argv.slice(1)];
  const child = spawn(file as string, fileArgs as string[], {
    cwd: WORKING_DIR,
    env: { PATH: process.env.PATH ?? '', ...runCache(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const finished = new Promise<Finished>((resolve, reject) => {
    const timer =
      limitMs === undefined
        ? undefined
        : setTimeout(() => {
            killTree();
            reject(
              new Error(
                `omnicore ${args.join(' ')} still running after ${limitMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
              ),
            );
          }, limitMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  finished.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection
  const killTree = (signal: NodeJS.Signals = 'SIGKILL') => {
    if (child.pid === undefined) return;
    for (const pid of [...descendantsOf(child.pid), child.pid]) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  return { child, finished, output: () => `stdout: ${stdout}\nstderr: ${stderr}`, killTree };
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** Polls `url` until it answers 200, failing early if the process exits. */
export async function waitUntilOk(url: string, process: OmnicoreProcess, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (process.child.exitCode !== null) {
      throw new Error(`omnicore exited with ${process.child.exitCode}\n${process.output()}`);
    }
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} not 200 within ${ms} ms (last ${status})\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `omnicore start` (or `run`, under the supervisor) on a free port, resolved once /readyz answers 200. */
export async function startOmnicore(
  env: Record<string, string>,
  command: 'start' | 'run' = 'start',
): Promise<ServingOmnicore> {
  const port = await freePort();
  const server = spawnOmnicore(command, { LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilOk(`${url}/readyz`, server);
  } catch (error) {
    server.killTree();
    throw error;
  }
  return { ...server, url };
}

/** `omnicore <args>` run to its end on a test database (as its DATA_DIR and DATABASE_URL), stdin closed. */
export function runOmnicoreOn(
  database: { readonly dataDir: string; readonly url: string | undefined },
  args: string[],
  env: Record<string, string> = {},
): Promise<Finished> {
  const run = spawnOmnicore(
    args,
    {
      DATA_DIR: database.dataDir,
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      PORT: '1',
      LOG_LEVEL: 'silent',
      ...env,
    },
    30_000,
  );
  run.child.stdin?.end();
  return run.finished;
}
