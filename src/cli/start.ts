// `omnicore start`: runs the platform until SIGTERM or SIGINT, then stops intake, lets running
// handlers finish (bounded), and closes the database. A second signal exits at once. Errors nobody
// caught are charged to their plugin (ops/process-guard), and a watchdog thread bounds a blocked
// event loop; under `omnicore run` (`--supervised`) it ends the process so that it restarts. A
// self-update asks for a restart through DATA_DIR/restart-request.json (ops/update/restart-request).
import path from 'node:path';
import { loadConfig } from '../config/env.js';
import { repeat } from '../lib/repeat.js';
import { startPlatform } from '../main.js';
import { installProcessGuard } from '../ops/process-guard.js';
import { acknowledgeRestart, RESTART_EXIT_CODE, restartRequested } from '../ops/update/restart-request.js';
import { takeCrashRecord } from '../ops/watchdog/crash-record.js';
import { startWatchdog } from '../ops/watchdog/watchdog.js';
import { releaseYoungGeneration } from './startup-heap.js';
import { UsageError } from './usage.js';

export const CRASH_RECORD_FILE = 'crash-record.json';
const ORPHAN_CHECK_MS = 1000;
const RESTART_CHECK_MS = 1000;

export async function runStart(args: string[] = []): Promise<undefined> {
  // --supervised is how `omnicore run` starts it; it is not in the usage line operators see.
  const unexpected = args.find((arg) => arg !== '--supervised');
  if (unexpected !== undefined) throw new UsageError(`unexpected argument "${unexpected}"`);
  const config = loadConfig();
  const recordFile = path.join(config.DATA_DIR, CRASH_RECORD_FILE);
  const platform = await startPlatform(config, { crashRecordFile: recordFile });
  const { log } = platform;
  // The conversation models train beside the start (giving the event loop turns): start-up ends with both.
  void Promise.all([platform.ready, platform.conversationEngine.trained()]).then(releaseYoungGeneration);
  let stopping = false;
  const exit = (code: number): void => {
    log.flush();
    process.exit(code);
  };
  installProcessGuard({ log, charge: (error) => platform.plugins.chargeUncaught(error), exit });
  const supervised = args.includes('--supervised');
  const stopWatchdog = startWatchdog({
    limitMs: platform.settings.get('inbox.deadlineSeconds') * 1000,
    supervised,
    recordFile,
    onEpisode: (record) => {
      // The process lived through it: act on the record now instead of at the next start.
      takeCrashRecord(recordFile);
      void platform.plugins.chargeCrash(record.frames, record.detail);
    },
  });
  const shutdown = (signal: NodeJS.Signals | 'restart'): void => {
    if (stopping) {
      exit(130);
      return;
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    Promise.all([stopWatchdog(), platform.stop()]).then(
      () => {
        if (signal !== 'restart') return exit(0);
        // The last act: the updater waits for the file to go, and then for the next server.
        acknowledgeRestart(config.DATA_DIR);
        exit(RESTART_EXIT_CODE);
      },
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  repeat(
    () => {
      if (restartRequested(config.DATA_DIR)) shutdown('restart');
    },
    {
      every: RESTART_CHECK_MS,
      firstAfterMs: RESTART_CHECK_MS,
      onError: (error) => log.warn({ err: error }, 'could not check for a restart request'),
    },
  );
  if (supervised) {
    // A supervisor killed outright cannot pass a signal on: its server must not outlive it.
    const supervisor = process.ppid;
    repeat(
      () => {
        if (process.ppid !== supervisor) shutdown('SIGTERM');
      },
      {
        every: ORPHAN_CHECK_MS,
        firstAfterMs: ORPHAN_CHECK_MS,
        onError: (error) => log.warn({ err: error }, 'could not check on the supervisor'),
      },
    );
  }
  return undefined;
}
