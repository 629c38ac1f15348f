// `omnicore run`: the bundled supervisor. Runs `omnicore start --supervised` as a child process and
// starts it again when it ends without being asked to (a crash, out of memory, the watchdog ending a
// blocked process), waiting longer after each quick failure. Signals are passed on to the child, and
// the supervisor exits with it. A configuration error (78) is not retried: it would fail the same way.
// A server that asks to be restarted (RESTART_EXIT_CODE, after a self-update) is started again at
// once; before each start, an update whose updater died is finished or rolled back.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_EXIT_CODE } from '../config/config-error.js';
import { loadConfig } from '../config/env.js';
import { sleep } from '../lib/sleep.js';
import { RESTART_EXIT_CODE } from '../ops/update/restart-request.js';
import { statePath } from '../ops/update/update-state.js';
import { UsageError } from './usage.js';

const CLI = fileURLToPath(new URL('./main.js', import.meta.url));
/** A child that ran this long was healthy: the next failure starts the back-off again. */
const HEALTHY_MS = 60_000;
const MAX_DELAY_MS = 30_000;

export async function runSupervisor(args: string[]): Promise<number> {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}"`);
  let child: ChildProcess | undefined;
  let stopping = false;
  const stop = new AbortController();
  const forward = (signal: NodeJS.Signals): void => {
    stopping = true;
    stop.abort();
    child?.kill(signal);
  };
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  let failures = 0;
  for (;;) {
    await recoverUpdate();
    const started = Date.now();
    child = spawn(process.execPath, [...process.execArgv, CLI, 'start', '--supervised'], { stdio: 'inherit' });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      (child as ChildProcess).once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    if (stopping) return code ?? 0;
    if (code === 0 || code === CONFIG_EXIT_CODE) return code;
    if (code === RESTART_EXIT_CODE) {
      failures = 0;
      continue;
    }
    failures = Date.now() - started >= HEALTHY_MS ? 1 : failures + 1;
    const delay = Math.min(MAX_DELAY_MS, 500 * 2 ** (failures - 1));
    console.error(
      `omnicore run: the server ended (${signal ?? `exit code ${code}`}); starting it again in ${delay / 1000} s`,
    );
    await sleep(delay, stop.signal);
    if (stopping) return 0;
  }
}

/** Loaded only when an update left its state file, so that a plain start never loads the updater. */
async function recoverUpdate(): Promise<void> {
  const config = loadConfig();
  if (!existsSync(statePath(config.DATA_DIR))) return;
  const { recoverAtStart } = await import('./update.js');
  await recoverAtStart(config).catch((error: unknown) =>
    console.error(`omnicore run: could not recover the interrupted update: ${(error as Error).message}`),
  );
}
