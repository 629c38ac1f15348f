// What `omnicore instances` and the panel show of the instances on a database: each one's row, its
// state, whether it leads, and how many chats' updates it holds leases on now.
import type { DatabaseHandle } from './database.js';
import { type InstanceState, instanceState } from './instance-registry.js';
import { currentLeader, leaderApplicationName } from './leadership.js';

export interface InstanceSummary {
  id: string;
  host: string;
  pid: number;
  version: string;
  url: string | null;
  startedAt: string;
  lastSeenAt: string;
  stoppedAt: string | null;
  state: InstanceState;
  leader: boolean;
  /** Chats whose updates it alone handles for now (unexpired rows of chat_leases). */
  leases: number;
}

/** Newest first. */
export async function listInstances(database: DatabaseHandle, now = Date.now()): Promise<InstanceSummary[]> {
  const { db } = database;
  const rows = await db.selectFrom('instances').selectAll().orderBy('started_at', 'desc').execute();
  const leases = await db
    .selectFrom('chat_leases')
    .select(['owner', (eb) => eb.fn.countAll<number | string>().as('held')])
    .where('until', '>', now)
    .groupBy('owner')
    .execute();
  const held = new Map(leases.map((lease) => [lease.owner, Number(lease.held)]));
  // SQLite's one live instance leads; on PostgreSQL, whoever holds the lock.
  const leaderName = await currentLeader(database);
  return rows.map((row) => {
    const state = instanceState(row, now);
    const leader =
      database.kind === 'sqlite'
        ? state === 'live'
        : state !== 'stopped' && leaderName === leaderApplicationName(row.id);
    return {
      id: row.id,
      host: row.host,
      pid: row.pid,
      version: row.version,
      url: row.url,
      startedAt: new Date(row.started_at).toISOString(),
      lastSeenAt: new Date(row.seen_at).toISOString(),
      stoppedAt: row.stopped_at === null ? null : new Date(row.stopped_at).toISOString(),
      state,
      leader,
      leases: held.get(row.id) ?? 0,
    };
  });
}
