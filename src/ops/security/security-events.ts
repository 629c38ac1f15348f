// The security event log: what the security layer, the webhook and the admin sign-in record, and
// what the admin panel's Security page lists. Recording is a push to a buffer written once a second,
// so an attack costs the hot path no database round trip. Old events go with the other retention
// purges (ops/retention.ts).
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { chunks } from '../../lib/chunks.js';
import { type Repetition, repeat } from '../../lib/repeat.js';

export const SECURITY_EVENT_TYPES = [
  'ban',
  'unban',
  'rate_limited',
  'flood',
  'spam',
  'signin_failure',
  'webhook_forgery',
  'signature_failure',
  'payment_unknown_invoice',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export interface SecurityEvent {
  type: SecurityEventType;
  userId?: number | null;
  ip?: string | null;
  /** Never a secret or a credential: it is shown in the admin panel. */
  detail?: Record<string, unknown>;
  /** Defaults to now. */
  at?: number;
}

export interface SecurityEventRow {
  id: number;
  at: number;
  type: string;
  userId: number | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

/** What may record events: the webhook route and the admin panel get this, not the whole log. */
export interface SecurityEventSink {
  record(event: SecurityEvent): void;
}

/** The panel's filters, as they come from a query string; `before` is an event id, for paging. */
export const securityEventQuery = z.object({
  type: z.enum(SECURITY_EVENT_TYPES).optional(),
  userId: z.coerce.number().int().optional(),
  since: z.coerce.number().int().min(0).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type SecurityEventQuery = z.input<typeof securityEventQuery>;

const FLUSH_MS = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export class SecurityEvents implements SecurityEventSink {
  private buffer: SecurityEvent[] = [];
  private dropped = 0;
  private flushes: Repetition | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: {
      /** Beyond this many unwritten events (an attack), more are counted, not kept. */
      maxBuffered: number;
      retentionDays: () => number;
      onError: (error: unknown) => void;
      onDropped: (count: number) => void;
      clock?: () => number;
    },
  ) {}

  start(): void {
    this.flushes = repeat(() => this.flush(), {
      every: FLUSH_MS,
      firstAfterMs: FLUSH_MS,
      onError: this.options.onError,
    });
  }

  async stop(): Promise<void> {
    await this.flushes?.stop();
    await this.flush();
  }

  record(event: SecurityEvent): void {
    if (this.buffer.length >= this.options.maxBuffered) {
      this.dropped++;
      return;
    }
    this.buffer.push({ ...event, at: event.at ?? this.now() });
  }

  /** Writes what is buffered; concurrent calls queue so no event is written twice. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  /** Newest first; includes everything recorded before the call. */
  async list(query: SecurityEventQuery = {}): Promise<SecurityEventRow[]> {
    const { type, userId, since, before, limit } = securityEventQuery.parse(query);
    await this.flush();
    let select = this.db.selectFrom('security_events').selectAll();
    if (type) select = select.where('type', '=', type);
    if (userId !== undefined) select = select.where('user_id', '=', userId);
    if (since !== undefined) select = select.where('at', '>=', since);
    if (before !== undefined) select = select.where('id', '<', before);
    const rows = await select.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((row) => ({
      id: Number(row.id),
      at: Number(row.at),
      type: row.type,
      userId: row.user_id === null ? null : Number(row.user_id),
      ip: row.ip,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
    }));
  }

  async purge(): Promise<void> {
    const cutoff = this.now() - this.options.retentionDays() * DAY_MS;
    await this.db.deleteFrom('security_events').where('at', '<', cutoff).execute();
  }

  private async write(): Promise<void> {
    if (this.dropped > 0) {
      this.options.onDropped(this.dropped);
      this.dropped = 0;
    }
    const events = this.buffer;
    if (events.length === 0) return;
    this.buffer = [];
    const rows = events.map((event) => ({
      at: event.at ?? this.now(),
      type: event.type,
      user_id: event.userId ?? null,
      ip: event.ip ?? null,
      detail: JSON.stringify(event.detail ?? {}),
    }));
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const group of chunks(rows)) await trx.insertInto('security_events').values(group).execute();
      });
    } catch (error) {
      this.options.onError(error);
    }
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }
}
