// The bot's Telegram users as the admin panel pages through them: search by name, username or id,
// newest activity first, and one user's record with their recent usage.
import { type Kysely, sql } from 'kysely';
import type { Database, UserRow } from '../db/schema.js';

export interface UserPage {
  users: UserRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface RecentEvent {
  at: number;
  kind: string;
  command: string | null;
  outcome: string;
  latency_ms: number;
}

export type NamedUser = Pick<UserRow, 'first_name' | 'last_name' | 'username'>;

export class TelegramUsers {
  constructor(private readonly db: Kysely<Database>) {}

  async search(query: string, page: number, pageSize: number): Promise<UserPage> {
    const term = query.trim();
    const base = this.db.selectFrom('users').$if(term !== '', (q) =>
      q.where((eb) => {
        const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`).toLowerCase()}%`;
        const matches = [
          eb(sql`lower(first_name)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(coalesce(last_name, ''))`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(coalesce(username, ''))`, 'like', sql`${like} escape '\\'`),
        ];
        if (/^\d{1,15}$/.test(term)) matches.push(eb('id', '=', Number(term)));
        return eb.or(matches);
      }),
    );
    const [users, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('last_seen', 'desc')
        .orderBy('id')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { users: users.map(normalise), total: Number(count.n), page, pageSize };
  }

  async get(id: number): Promise<{ user: UserRow; recent: RecentEvent[] } | undefined> {
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!user) return undefined;
    const recent = await this.db
      .selectFrom('usage_events')
      .select(['at', 'kind', 'command', 'outcome', 'latency_ms'])
      .where('user_id', '=', id)
      .orderBy('at', 'desc')
      .limit(50)
      .execute();
    return { user: normalise(user), recent: recent.map((event) => ({ ...event, at: Number(event.at) })) };
  }

  /** Who these ids are, for pages that hold only ids (bans, security events); unknown ids are left out. */
  async named(ids: readonly number[]): Promise<Map<number, NamedUser>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'first_name', 'last_name', 'username'])
      .where('id', 'in', unique)
      .execute();
    return new Map(rows.map((row) => [Number(row.id), row]));
  }
}

/** PostgreSQL hands bigint columns back as numbers already (see db/database.ts); SQLite too. */
function normalise(row: UserRow): UserRow {
  return { ...row, first_seen: Number(row.first_seen), last_seen: Number(row.last_seen) };
}
