// Deletes what has outlived its retention setting: handled inbox rows (with their call journal)
// and usage events. Runs hourly; Telegram never resends an update after 24 hours.
import type { Kysely } from 'kysely';
import type { Logger } from '../config/logger.js';
import type { Database } from '../db/schema.js';
import type { SettingsStore } from '../db/settings-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const EVERY_MS = 60 * 60 * 1000;

export function startRetention(
  db: Kysely<Database>,
  inbox: { purge(before: number): Promise<unknown> },
  settings: SettingsStore,
  log: Logger,
): () => void {
  const timer = setInterval(() => {
    void inbox
      .purge(Date.now() - settings.get('inbox.retentionDays') * DAY_MS)
      .catch((error) => log.warn({ err: error }, 'inbox purge failed'));
    void db
      .deleteFrom('usage_events')
      .where('at', '<', Date.now() - settings.get('usage.retentionDays') * DAY_MS)
      .execute()
      .catch((error) => log.warn({ err: error }, 'usage purge failed'));
  }, EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
