// The restart contract between the updater and a running server: the updater writes
// DATA_DIR/restart-request.json; the server (`omnicore start`) sees it within a second, stops as on
// SIGTERM, removes the file as its last act and exits with RESTART_EXIT_CODE. `omnicore run` starts
// it again at once on that code (no back-off), systemd (Restart=always) on any exit. The file gone
// tells the updater that the old server no longer listens.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sleep } from '../../lib/sleep.js';

/** EX_TEMPFAIL: "try again", which is what the server asks its supervisor to do. */
export const RESTART_EXIT_CODE = 75;
export const RESTART_REQUEST_FILE = 'restart-request.json';

export function restartRequestPath(dataDir: string): string {
  return path.join(dataDir, RESTART_REQUEST_FILE);
}

export function restartRequested(dataDir: string): boolean {
  return existsSync(restartRequestPath(dataDir));
}

/** The server's last act before exiting to be restarted. */
export function acknowledgeRestart(dataDir: string): void {
  rmSync(restartRequestPath(dataDir), { force: true });
}

/** Asks the running server to restart; resolves once it has stopped, false if it never did. */
export async function requestRestart(dataDir: string, withinMs: number): Promise<boolean> {
  const file = restartRequestPath(dataDir);
  writeFileSync(file, JSON.stringify({ requestedAt: Date.now(), by: process.pid }));
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!existsSync(file)) return true;
    await sleep(200);
  }
  rmSync(file, { force: true });
  return false;
}
