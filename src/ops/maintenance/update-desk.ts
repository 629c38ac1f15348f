// Self-update as the running server offers it (admin panel, /update): the check, the history, and
// `update apply` started as a detached process — its own process group, output appended to
// DATA_DIR/update-apply.log — because the updater restarts this very server and must outlive it.
// Progress is followed by polling the history row and that log; a second update is refused.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AuditLog } from '../../db/audit-log.js';
import type { DatabaseHandle } from '../../db/database.js';
import { OmniError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { gitCommit } from '../backup/git-commit.js';
import { GitCheckout } from '../update/git-checkout.js';
import { checkForUpdate, type UpdateCheck, type UpdateSource } from '../update/update-check.js';
import { UpdateHistory, type UpdateRecord } from '../update/update-history.js';
import { readState } from '../update/update-state.js';

export const UPDATE_LOG_FILE = 'update-apply.log';
const LOG_TAIL_BYTES = 16 * 1024;

export interface UpdateDeskParts {
  installDir: string;
  dataDir: string;
  source: UpdateSource;
  database: DatabaseHandle;
  audit: AuditLog;
  /** The updater to start; `node dist/cli/main.js update apply` in the install unless a test says otherwise. */
  command?: { file: string; args: string[] } | undefined;
}

export interface UpdateProgress {
  /** The updater this server started still runs, or an update's state file or running row exists. */
  running: boolean;
  /** The newest attempt, with its log. */
  latest: UpdateRecord | null;
  /** The end of the updater's own output (what it printed before the row existed, e.g. a refusal). */
  output: string;
}

export type UpdateDesk = ReturnType<typeof updateDesk>;

export function updateDesk(parts: UpdateDeskParts) {
  const { installDir, dataDir, database } = parts;
  // The server's own handle, not closed after each use as the updater's fresh handles are.
  const history = new UpdateHistory(async () => ({ ...database, close: async () => {} }));
  const command = parts.command ?? {
    file: process.execPath,
    args: [path.join(installDir, 'dist', 'cli', 'main.js'), 'update', 'apply'],
  };
  const logFile = path.join(dataDir, UPDATE_LOG_FILE);
  let child: ChildProcess | undefined;
  let starting = false;
  const childRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const running = async () =>
    childRunning() || readState(dataDir) !== undefined || (await history.running()).length > 0;

  return {
    history: (limit?: number) => history.list(limit),
    /** What this server runs: its version and the commit of the checkout (null outside one). */
    current: async () => ({ version: VERSION, commit: await gitCommit() }),
    check: (): Promise<UpdateCheck> => checkForUpdate(new GitCheckout(installDir), parts.source),
    async progress(): Promise<UpdateProgress> {
      const [latest] = await history.list(1);
      return { running: await running(), latest: latest ?? null, output: tail(logFile) };
    },
    /** Starts the updater, audited as `by`; UPDATE_IN_PROGRESS while one runs. Returns its process id. */
    async start(by: { actor: string; ip?: string | null }): Promise<{ pid: number }> {
      // Claimed on one turn before anything is awaited, so that two clicks at once start one updater.
      if (starting || childRunning()) throw new OmniError('UPDATE_IN_PROGRESS');
      starting = true;
      try {
        if (readState(dataDir) !== undefined || (await history.running()).length > 0) {
          throw new OmniError('UPDATE_IN_PROGRESS');
        }
        child = spawnUpdater(command, logFile);
        const pid = child.pid as number;
        await parts.audit.record({ actor: by.actor, action: 'update.apply', details: { pid }, ip: by.ip ?? null });
        return { pid };
      } finally {
        starting = false;
      }
    },
  };
}

function spawnUpdater(command: { file: string; args: string[] }, logFile: string): ChildProcess {
  const out = openSync(logFile, 'a');
  try {
    const started = spawn(command.file, command.args, {
      // The server's own folder: the updater reads the same .env as the server did.
      cwd: process.cwd(),
      detached: true,
      stdio: ['ignore', out, out],
    });
    started.unref();
    return started;
  } finally {
    closeSync(out);
  }
}

/** The last bytes of the log, which grows by one updater's output per update. */
function tail(file: string): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const length = Math.min(size, LOG_TAIL_BYTES);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}
