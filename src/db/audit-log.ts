// The admin audit trail (`audit_log`): who did what to which target, when and from where.
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from './schema.js';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string | null;
  details?: unknown;
  ip?: string | null;
}

export type AuditRecord = Selectable<AuditLogTable>;

export class AuditLog {
  constructor(private readonly db: Kysely<Database>) {}

  async record(entry: AuditEntry, now = Date.now()): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: now,
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        details: entry.details === undefined ? null : JSON.stringify(entry.details),
        ip: entry.ip ?? null,
      })
      .execute();
  }

  /** Newest first; `before` is the id to page back from; `actions` keeps only those actions, `except` leaves one out. */
  async list(options: {
    limit: number;
    before?: number;
    action?: string;
    target?: string;
    actions?: readonly string[];
    except?: string;
  }): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit);
    if (options.before) query = query.where('id', '<', options.before);
    if (options.action) query = query.where('action', '=', options.action);
    if (options.target) query = query.where('target', '=', options.target);
    if (options.actions) query = query.where('action', 'in', options.actions);
    if (options.except) query = query.where('action', '!=', options.except);
    const rows = await query.execute();
    return rows.map(fromRow);
  }

  /** The newest entry of `action` for each target it names (e.g. each setting's last change). */
  async latestByTarget(action: string): Promise<Map<string, AuditRecord>> {
    const newest = this.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('action', '=', action)
      .where('target', 'is not', null)
      .groupBy('target');
    const rows = await this.db.selectFrom('audit_log').selectAll().where('id', 'in', newest).execute();
    return new Map(rows.map((row) => [row.target as string, fromRow(row)]));
  }
}

function fromRow(row: AuditRecord): AuditRecord {
  return { ...row, id: Number(row.id), at: Number(row.at) };
}
