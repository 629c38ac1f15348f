// The `alerts` table: one row per incident, with how often it was seen during its cool-down.
import type { Kysely, Selectable } from 'kysely';
import type { AlertsTable, Database } from '../../db/schema.js';

export type AlertRow = Selectable<AlertsTable>;

/** An alert as detected: the table's columns less those the store keeps, and when it was seen. */
export type NewAlert = Omit<AlertsTable, 'id' | 'first_at' | 'last_at' | 'occurrences' | 'notified'> & { at: number };

export class AlertStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The newest alert with this key, if any. */
  async latest(key: string): Promise<AlertRow | undefined> {
    return this.db
      .selectFrom('alerts')
      .selectAll()
      .where('key', '=', key)
      .orderBy('last_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insert(alert: NewAlert): Promise<number> {
    const { at, ...fields } = alert;
    const row = await this.db
      .insertInto('alerts')
      .values({ ...fields, first_at: at, last_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  /** Counts one more detection into an open alert. */
  async fold(id: number, at: number, value: number | null, score: number | null): Promise<void> {
    await this.db
      .updateTable('alerts')
      .set((eb) => ({ last_at: at, value, score, occurrences: eb('occurrences', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  async markNotified(id: number): Promise<void> {
    await this.db.updateTable('alerts').set({ notified: 1 }).where('id', '=', id).execute();
  }

  /** The newest alerts first, for the admin panel. */
  async recent(limit: number): Promise<AlertRow[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .orderBy('first_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      first_at: Number(row.first_at),
      last_at: Number(row.last_at),
      value: row.value === null ? null : Number(row.value),
      score: row.score === null ? null : Number(row.score),
    }));
  }
}
