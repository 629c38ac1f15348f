// Deletes what has outlived its retention setting: handled inbox rows (with their call journal),
// usage events, security events, and the rows of instances stopped a day ago. Only the leader
// purges (lib/leading.ts). A first pass comes a few seconds after start, then one an hour,
// so that a process restarted more often than hourly still purges. Telegram never resends an update
// after 24 hours, so the inbox keeps nothing it needs for deduplication beyond that.
import type { Kysely } from 'kysely';
import type { Logger } from '../config/logger.js';
import { purgeInstances } from '../db/instance-registry.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../db/settings-store.js';
import { type IsLeader, whenLeading } from '../lib/leading.js';
import { repeat } from '../lib/repeat.js';
import type { SecurityEvents } from './security/security-events.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const EVERY_MS = 60 * 60 * 1000;
/** After start-up's own work (resuming the inbox, reaching the Bot API), and before anyone restarts. */
export const FIRST_PURGE_AFTER_MS = 5000;

export interface RetentionParts {
  db: Kysely<Database>;
  inbox: { purge(before: number): Promise<unknown> };
  securityEvents: SecurityEvents;
  settings: SettingsStore;
  log: Logger;
  /** Purges run only while this says so; absent, always. */
  isLeader?: IsLeader;
}

/** Starts the purges; the function returned stops them, waiting for one under way. */
export function startRetention({
  db,
  inbox,
  securityEvents,
  settings,
  log,
  isLeader,
}: RetentionParts): () => Promise<void> {
  const cutOff = (days: number): number => Date.now() - days * DAY_MS;
  const purges: Record<string, () => Promise<unknown>> = {
    inbox: () => inbox.purge(cutOff(settings.get('inbox.retentionDays'))),
    usage: () =>
      db
        .deleteFrom('usage_events')
        .where('at', '<', cutOff(settings.get('usage.retentionDays')))
        .execute(),
    'security event': () => securityEvents.purge(),
    instance: () => purgeInstances({ db }, cutOff(1)),
  };
  // One loop each, so that a purge that fails is logged as itself and never holds the others back.
  const loops = Object.entries(purges).map(([what, purge]) =>
    repeat(whenLeading(isLeader, purge), {
      every: EVERY_MS,
      firstAfterMs: FIRST_PURGE_AFTER_MS,
      onError: (error) => log.warn({ err: error }, `${what} purge failed`),
    }),
  );
  return async () => {
    await Promise.all(loops.map((loop) => loop.stop()));
  };
}
