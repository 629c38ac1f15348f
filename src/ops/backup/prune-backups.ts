// pruneBackups: retention of backups. Kept: the `keepLast` newest; the newest of each of the
// `keepDaily` most recent days that have a backup; the same for `keepWeekly` weeks (ISO, from
// Monday, UTC). Counting days that have a backup rather than calendar days keeps old backups
// when backups stopped for a while, rather than deleting the only ones left.
import { rm } from 'node:fs/promises';
import { type BackupListing, listBackups } from './list-backups.js';

export interface RetentionPolicy {
  keepLast: number;
  keepDaily: number;
  keepWeekly: number;
}

export interface PruneResult {
  kept: string[];
  removed: string[];
}

const DAY_MS = 86_400_000;

/** The ids the policy keeps, of backups given newest first. */
export function backupsToKeep(backups: readonly Pick<BackupListing, 'id' | 'createdAt'>[], policy: RetentionPolicy) {
  const keep = new Set(backups.slice(0, policy.keepLast).map((backup) => backup.id));
  const newestPer = (bucket: (at: Date) => number, count: number) => {
    const seen = new Set<number>();
    for (const backup of backups) {
      if (seen.size >= count) break;
      const key = bucket(backup.createdAt);
      if (seen.has(key)) continue;
      seen.add(key);
      keep.add(backup.id);
    }
  };
  newestPer((at) => Math.floor(at.getTime() / DAY_MS), policy.keepDaily);
  // 1 January 1970 was a Thursday: three days on, weeks start on Monday.
  newestPer((at) => Math.floor((Math.floor(at.getTime() / DAY_MS) + 3) / 7), policy.keepWeekly);
  return keep;
}

/** Deletes the backups the policy does not keep; returns both lists, newest first. */
export async function pruneBackups(dataDir: string, policy: RetentionPolicy): Promise<PruneResult> {
  const backups = await listBackups(dataDir);
  const keep = backupsToKeep(backups, policy);
  const removed: string[] = [];
  for (const backup of backups) {
    if (keep.has(backup.id)) continue;
    await rm(backup.file, { force: true });
    removed.push(backup.id);
  }
  return { kept: backups.filter((backup) => keep.has(backup.id)).map((backup) => backup.id), removed };
}
