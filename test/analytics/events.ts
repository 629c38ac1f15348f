// Generated usage events for the analytics tests: a database per dialect, and a terse way to write
// events whose answers are known by construction.
import type { Kysely } from 'kysely';
import { beforeEach } from 'vitest';
import type { Database, NewUsageEvent } from '../../src/db/schema.js';
import { chunks } from '../../src/lib/chunks.js';
import { useMigratedDatabase } from '../support/databases.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** Wednesday 2026-11-25 12:00 UTC: the `now` of most tests. */
export const NOW = Date.UTC(2026, 10, 25, 12);
export const TODAY = Date.UTC(2026, 10, 25);

export interface EventSpec {
  at: number;
  user: number | null;
  command?: string;
  plugin?: string;
  outcome?: 'ok' | 'error' | 'unknown_command';
  kind?: string;
}

export function event({ at, user, command, plugin, outcome = 'ok', kind = 'message' }: EventSpec): NewUsageEvent {
  return {
    at,
    user_id: user,
    chat_id: user,
    kind,
    command: command ?? null,
    plugin: plugin ?? null,
    latency_ms: 5,
    outcome,
  };
}

export async function insertEvents(db: Kysely<Database>, specs: readonly EventSpec[]): Promise<void> {
  for (const group of chunks(specs.map(event))) await db.insertInto('usage_events').values(group).execute();
}

/** A migrated database of `kind`, emptied of usage events before each test. */
export function useAnalyticsDatabase(kind: 'sqlite' | 'postgres'): { readonly db: Kysely<Database> } {
  const fixture = useMigratedDatabase(kind);
  beforeEach(async () => {
    await fixture.handle.db.deleteFrom('usage_events').execute();
  });
  return {
    get db() {
      return fixture.handle.db;
    },
  };
}

/** `count` user ids from `first` on. */
export function userIds(count: number, first = 1): number[] {
  return Array.from({ length: count }, (_, index) => first + index);
}
