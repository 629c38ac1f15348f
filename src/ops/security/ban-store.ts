// Bans: one row per user in `bans`, mirrored in memory so that checking a sender costs one Map
// lookup. Other instances see a change at once through the change signal, or within the poll
// interval (security.ts has them `refresh`); the instance that bans is told at once, so that it can
// drop what the user has waiting.
import type { Kysely } from 'kysely';
import type { ChangeSignal } from '../../db/change-signal.js';
import type { Database } from '../../db/schema.js';
import { OmniError } from '../../errors.js';
import { nextBan } from './escalation.js';
import type { SecurityEventSink } from './security-events.js';

export interface BanRecord {
  userId: number;
  /** Null: permanent. */
  until: number | null;
  reason: string;
  level: number;
  by: string;
  createdAt: number;
}

export interface BanRequest {
  /** Epoch ms; absent or null: permanent. */
  until?: number | null;
  reason: string;
  /** 'auto', 'telegram:<id>', or the admin panel user. */
  by: string;
  level?: number;
}

export class BanStore {
  /** user id → until (null: permanent). Expired entries are removed when met. */
  private active = new Map<number, number | null>();
  /** Counts local changes, so that a reload that started before one does not undo it. */
  private changes = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: {
      adminIds: ReadonlySet<number>;
      events: SecurityEventSink;
      /** Told of every ban made here (by /ban, the panel or the ladder), as it takes effect. */
      onBan?: (userId: number) => void;
      /** Tells the other instances a ban was made or lifted. */
      signal?: ChangeSignal;
      clock?: () => number;
    },
  ) {}

  isBanned(userId: number): boolean {
    const until = this.active.get(userId);
    if (until === undefined) return false;
    if (until === null || until > this.now()) return true;
    this.active.delete(userId);
    return false;
  }

  /** Bans (or re-bans, replacing the previous ban) a user; admins are refused. */
  async ban(userId: number, request: BanRequest): Promise<BanRecord> {
    if (this.options.adminIds.has(userId)) throw new OmniError('SECURITY_ADMIN_NOT_BANNABLE', String(userId));
    const record: BanRecord = {
      userId,
      until: request.until ?? null,
      reason: request.reason,
      level: request.level ?? 0,
      by: request.by,
      createdAt: this.now(),
    };
    const row = {
      user_id: userId,
      until: record.until,
      reason: record.reason,
      level: record.level,
      by: record.by,
      created_at: record.createdAt,
    };
    // Dropped at once, before the write: the rest of a flood must not slip through meanwhile.
    this.changes++;
    this.active.set(userId, record.until);
    this.options.onBan?.(userId);
    await this.db
      .insertInto('bans')
      .values(row)
      .onConflict((oc) => oc.column('user_id').doUpdateSet(row))
      .execute();
    this.options.signal?.publish('bans');
    this.options.events.record({
      type: 'ban',
      userId,
      at: record.createdAt,
      detail: { until: record.until, reason: record.reason, level: record.level, by: record.by },
    });
    return record;
  }

  /** The next step on the ladder for a repeat offender (see escalation.ts). */
  async escalate(
    userId: number,
    reason: string,
    ladderSeconds: readonly number[],
    quietMs: number,
  ): Promise<BanRecord> {
    const previous = await this.db
      .selectFrom('bans')
      .select(['level', 'until'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const now = this.now();
    const step = nextBan(
      previous && { level: previous.level, until: previous.until === null ? null : Number(previous.until) },
      now,
      ladderSeconds,
      quietMs,
    );
    return this.ban(userId, { until: now + step.durationMs, reason, by: 'auto', level: step.level });
  }

  /** Lifts a ban (and forgets the user's ladder step); false if none was in force. */
  async unban(userId: number, by: string): Promise<boolean> {
    const wasBanned = this.isBanned(userId);
    this.changes++;
    this.active.delete(userId);
    await this.db.deleteFrom('bans').where('user_id', '=', userId).execute();
    this.options.signal?.publish('bans');
    if (wasBanned) this.options.events.record({ type: 'unban', userId, detail: { by } });
    return wasBanned;
  }

  /** The bans in force, newest first. */
  async list(): Promise<BanRecord[]> {
    const rows = await this.activeRows().selectAll().orderBy('created_at', 'desc').execute();
    return rows.map((row) => ({
      userId: Number(row.user_id),
      until: row.until === null ? null : Number(row.until),
      reason: row.reason,
      level: row.level,
      by: row.by,
      createdAt: Number(row.created_at),
    }));
  }

  /** Reloads the bans in force, picking up what other instances and the CLI changed. */
  async refresh(): Promise<void> {
    const changesBefore = this.changes;
    const rows = await this.activeRows().select(['user_id', 'until']).execute();
    if (this.changes !== changesBefore) return;
    this.active = new Map(rows.map((row) => [Number(row.user_id), row.until === null ? null : Number(row.until)]));
  }

  private activeRows() {
    const now = this.now();
    return this.db.selectFrom('bans').where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', now)]));
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }
}
