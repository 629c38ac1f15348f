// Usage analytics read each user's events in time order (sequences, segments, cohorts): an index
// on (user_id, at) serves them without sorting the whole table.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('usage_events_user_at').on('usage_events').columns(['user_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('usage_events_user_at').execute();
}
