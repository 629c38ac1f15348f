// Runs one contestant as a child process of its own (so its memory and CPU are its alone): starts
// it, times how long until it is ready, and stops it, keeping its output for error messages.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { CPU_PROF_DIR } from './settings.js';

export interface Running {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly baseUrl: string;
  /** From spawn to the first successful readiness probe. */
  readonly readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

export interface LaunchSpec {
  /** Script and arguments given to node. */
  args: string[];
  env: Record<string, string>;
  port: number;
  /** One readiness probe: true when the contestant answered as ready. */
  probe: (baseUrl: string) => Promise<boolean>;
  /** The contestant id: names its CPU profile folder (BENCH_CPU_PROF). */
  name: string;
}

const READY_LIMIT_MS = 60_000;
const PROBE_EVERY_MS = 10;
const STOP_GRACE_MS = 15_000;

export async function launch(spec: LaunchSpec): Promise<Running> {
  // A folder per contestant and Node's own file names: one profile per thread (OMNICore has a
  // watchdog thread beside the main one, and a module-hook thread once it loads an operator's
  // plugins), none overwriting another.
  const profile = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}/${spec.name}`] : [];
  const started = performance.now();
  const child = spawn(process.execPath, [...profile, ...spec.args], {
    env: { PATH: process.env.PATH ?? '', ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: string): void => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exited = once(child, 'exit');
  const baseUrl = `http://127.0.0.1:${spec.port}`;

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  for (;;) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode} before ready:\n${output}`);
    if (await spec.probe(baseUrl).catch(() => false)) break;
    if (performance.now() - started > READY_LIMIT_MS) {
      await stop();
      throw new Error(`${spec.name} not ready within ${READY_LIMIT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  const readyMs = performance.now() - started;
  if (child.pid === undefined) throw new Error(`${spec.name}: no pid`);
  return { child, pid: child.pid, baseUrl, readyMs, output: () => output, stop };
}
