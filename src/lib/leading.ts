// The gate of the schedules that must run once per deployment (retention, rollups, backups, payment
// polling, updates, plugin cron jobs): every instance keeps its timers, and only the leader runs the
// task when one comes due, so leadership can move between instances without restarting anything.

/** Whether this instance leads now (db/leadership.ts); asked at every run, never cached. */
export type IsLeader = () => boolean;

/** A lone instance (SQLite, a test) is always the leader. */
export const ALWAYS_LEADING: IsLeader = () => true;

/** `task`, run only while `isLeader()` says so; a run skipped resolves to undefined. */
export function whenLeading<T>(
  isLeader: IsLeader | undefined,
  task: () => T | Promise<T>,
): () => Promise<T | undefined> {
  return async () => (isLeader && !isLeader() ? undefined : task());
}
