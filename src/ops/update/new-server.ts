// Puts the version just built to work for the health check: a running server is asked to restart
// (restart-request.ts); with none running, the install's `npm start` is started for the check and
// stopped after it, so that an update applied while the platform is down is still checked.
import { type ChildProcess, spawn } from 'node:child_process';
import { requestRestart } from './restart-request.js';
import type { UpdateLog } from './update-log.js';

const RESTART_WITHIN_MS = 60_000;

export interface RunningVersion {
  /** Stops a server started for the check; nothing for one the supervisor runs. */
  stop(): Promise<void>;
}

export async function serverAnswers(url: string): Promise<boolean> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
  return response !== undefined;
}

export async function restartOrStart(
  options: { url: string; dataDir: string; installDir: string; env?: NodeJS.ProcessEnv | undefined },
  log: UpdateLog,
): Promise<RunningVersion> {
  if (await serverAnswers(options.url)) {
    log.append('asking the running server to restart');
    if (!(await requestRestart(options.dataDir, RESTART_WITHIN_MS))) {
      throw new Error('the running server did not restart: is it run by `omnicore run` or systemd?');
    }
    return { stop: async () => {} };
  }
  log.append('no server is running: starting `npm start` for the health check');
  // Its own process group, so that stopping it reaches what npm started.
  const child = spawn('npm', ['start'], {
    cwd: options.installDir,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log.append(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => log.append(chunk.toString('utf8')));
  return { stop: () => stopGroup(child) };
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
