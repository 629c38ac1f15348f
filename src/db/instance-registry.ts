// This process in the `instances` table: a row at start, a heartbeat (`seen_at`) every few seconds,
// `stopped_at` at stop. SQLite serves one instance, so a start there is refused while another live
// instance's row is present; a row left by a process that died (killed, crashed, restarted by the
// supervisor) never blocks: its pid is gone on this host, or its heartbeat has lapsed.
import { hostname } from 'node:os';
import type { Selectable } from 'kysely';
import type { Logger } from '../config/logger.js';
import { OmniError } from '../errors.js';
import { repeat } from '../lib/repeat.js';
import type { DatabaseHandle } from './database.js';
import type { InstancesTable } from './schema.js';

export const HEARTBEAT_MS = 5000;
/** Three heartbeats missed: the instance is gone (or frozen, which for its peers is the same). */
export const LIVE_WITHIN_MS = 3 * HEARTBEAT_MS;

export type InstanceRow = Selectable<InstancesTable>;
export type InstanceState = 'live' | 'stale' | 'stopped';

/** Whether a process with this pid exists on this host (EPERM: it exists, under another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function instanceState(row: InstanceRow, now: number): InstanceState {
  if (row.stopped_at !== null) return 'stopped';
  if (now - row.seen_at > LIVE_WITHIN_MS) return 'stale';
  if (row.host === hostname() && !processAlive(row.pid)) return 'stale';
  return 'live';
}

export interface InstanceRegistration {
  /** Records where the instance's HTTP server answers, once it listens. */
  setUrl(url: string): Promise<void>;
  /** Ends the heartbeat and marks the row stopped. */
  stop(): Promise<void>;
}

export interface RegistrationOptions {
  id: string;
  version: string;
  log: Logger;
  heartbeatMs?: number;
}

export async function registerInstance(
  database: DatabaseHandle,
  { id, version, log, heartbeatMs = HEARTBEAT_MS }: RegistrationOptions,
): Promise<InstanceRegistration> {
  const { db } = database;
  const row = { id, host: hostname(), pid: process.pid, version, url: null, stopped_at: null };
  await db.transaction().execute(async (trx) => {
    const now = Date.now();
    if (database.kind === 'sqlite') {
      const open = await trx.selectFrom('instances').selectAll().where('stopped_at', 'is', null).execute();
      // A row with this very pid on this host is a dead predecessor (a container's pid 1 comes back
      // as pid 1), or another platform inside this process, which is not an operator's second start.
      const ours = (other: InstanceRow) => other.host === row.host && other.pid === row.pid;
      const running = open.find((other) => !ours(other) && instanceState(other, now) === 'live');
      if (running) {
        throw new OmniError(
          'INSTANCE_ALREADY_RUNNING',
          `${running.id} (host ${running.host}, pid ${running.pid}, since ${new Date(running.started_at).toISOString()})`,
        );
      }
      // Rows of processes that died stopped, as far as anyone can tell, at their last heartbeat.
      for (const dead of open) {
        await trx.updateTable('instances').set({ stopped_at: dead.seen_at }).where('id', '=', dead.id).execute();
      }
    }
    await trx
      .insertInto('instances')
      .values({ ...row, started_at: now, seen_at: now })
      .execute();
  });
  const heartbeat = repeat(
    () => db.updateTable('instances').set({ seen_at: Date.now() }).where('id', '=', id).execute(),
    {
      every: heartbeatMs,
      firstAfterMs: heartbeatMs,
      onError: (error) => log.warn({ err: error }, 'instance heartbeat failed'),
    },
  );
  return {
    async setUrl(url) {
      await db.updateTable('instances').set({ url }).where('id', '=', id).execute();
    },
    async stop() {
      await heartbeat.stop();
      const now = Date.now();
      await db.updateTable('instances').set({ seen_at: now, stopped_at: now }).where('id', '=', id).execute();
    },
  };
}

/** Deletes the rows of instances stopped (or last seen) before `before`. */
export async function purgeInstances(database: Pick<DatabaseHandle, 'db'>, before: number): Promise<void> {
  await database.db
    .deleteFrom('instances')
    .where((eb) =>
      eb.or([eb('stopped_at', '<', before), eb.and([eb('stopped_at', 'is', null), eb('seen_at', '<', before)])]),
    )
    .execute();
}
