// Which instance runs the schedules that must run once per deployment (lib/leading.ts). On PostgreSQL
// the leader holds a session advisory lock on a connection of its own, named after the instance in
// pg_stat_activity (so `omnicore instances` can tell who leads); the others try for it every few
// seconds. The lock lives and dies with that connection: when it breaks, the instance stops leading
// at once and sits out two rounds, so that a follower with a sound connection takes over rather
// than the instance whose connection just failed winning the lock back. SQLite serves one instance,
// which always leads.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../config/logger.js';
import { ALWAYS_LEADING, type IsLeader } from '../lib/leading.js';
import { repeat } from '../lib/repeat.js';
import type { DatabaseHandle } from './database.js';

/** The lock's first key, "OMNI"; the second is the schema's, so that schemas on one database lead apart. */
const LOCK_CLASS = 0x4f4d4e49;
/**
 * Rounds an instance lets pass before trying for the lock again after losing it: every follower
 * tries once a round, so two give them each a turn or two; a lone instance leads again after them.
 */
const ROUNDS_SAT_OUT = 2;
/** PostgreSQL keeps this much of an application_name (NAMEDATALEN - 1). */
const APPLICATION_NAME_BYTES = 63;

function lockKey(schema: string): number {
  return createHash('sha1').update(schema).digest().readUInt32BE(0) & 0x7fffffff;
}

/** How the instance names its lock connection, as pg_stat_activity shows it. */
export function leaderApplicationName(instanceId: string): string {
  return instanceId.slice(0, APPLICATION_NAME_BYTES);
}

export interface Leadership {
  readonly isLeader: IsLeader;
  /** Stops trying and lets go of the lock (closing its connection). */
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  instanceId: string;
  /** How often a follower tries for the lock, and a leader checks its connection still lives. */
  everyMs: number;
  log: Logger;
}

/** Leadership on `database`: decided once before this resolves, then tried again every `everyMs`. */
export async function startLeadership(database: DatabaseHandle, options: LeadershipOptions): Promise<Leadership> {
  const connect = database.connectSession;
  if (!connect) return { isLeader: ALWAYS_LEADING, stop: async () => {} };
  const { instanceId, log } = options;
  const key = lockKey(database.schema ?? 'public');
  let client: pg.Client | undefined;
  let leading = false;
  let roundsToSitOut = 0;
  const drop = (reason: string): void => {
    if (leading) {
      log.warn({ instance: instanceId, reason }, 'this instance no longer leads the scheduled work');
      roundsToSitOut = ROUNDS_SAT_OUT;
    }
    leading = false;
    const old = client;
    client = undefined;
    old?.end().catch(() => {});
  };
  const attempt = async (): Promise<void> => {
    if (roundsToSitOut > 0) {
      roundsToSitOut -= 1;
      return;
    }
    if (!client) {
      const fresh = await connect(leaderApplicationName(instanceId));
      fresh.on('error', (error) => {
        if (client === fresh) drop(error.message);
      });
      fresh.on('end', () => {
        if (client === fresh) drop('its lock connection ended');
      });
      client = fresh;
    }
    const session = client;
    try {
      if (leading) {
        await session.query('select 1');
        return;
      }
      const { rows } = await session.query<{ locked: boolean }>('select pg_try_advisory_lock($1, $2) as locked', [
        LOCK_CLASS,
        key,
      ]);
      if (rows[0]?.locked) {
        leading = true;
        log.info({ instance: instanceId }, 'this instance now leads the scheduled work');
      }
    } catch (error) {
      if (client === session) drop((error as Error).message);
      throw error;
    }
  };
  const onError = (error: unknown): void => log.warn({ err: error }, 'could not try for leadership');
  await attempt().catch(onError);
  const loop = repeat(attempt, { every: options.everyMs, firstAfterMs: options.everyMs, onError });
  return {
    isLeader: () => leading,
    async stop() {
      await loop.stop();
      const old = client;
      client = undefined;
      leading = false;
      await old?.end();
    },
  };
}

/** The application_name of the connection that holds the leader's lock on `database`; undefined if none. */
export async function currentLeader(database: DatabaseHandle): Promise<string | undefined> {
  if (!database.connectSession) return undefined;
  const key = lockKey(database.schema ?? 'public');
  const { rows } = await sql<{ application_name: string }>`
    select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and l.objsubid = 2
      and l.database = (select oid from pg_database where datname = current_database())
      and l.classid::bigint = ${LOCK_CLASS} and l.objid::bigint = ${key}`.execute(database.db);
  return rows[0]?.application_name;
}
