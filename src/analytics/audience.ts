// Resolves an audience segment (core/audience-segment.ts) to the private chats of its users, in
// pages by ascending id, for broadcasts. Users who blocked the bot (users.blocked_bot_at) are left
// out and counted apart; the analytics segments use the same thresholds as segments.ts.
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { type AudienceSelector, audienceSegment } from '../core/audience-segment.js';
import type { Database } from '../db/schema.js';
import { OmniError } from '../errors.js';
import { ACTIVE_DAYS, CHURN_DAYS } from './segments.js';
import { DAY_MS, num } from './window.js';

type UsersQuery = SelectQueryBuilder<Database, 'users', object>;

/** The segment's users (bots never), blocked or not. */
function members(db: Kysely<Database>, selector: AudienceSelector, now: number): UsersQuery {
  const users = db.selectFrom('users').where('users.is_bot', '=', 0);
  switch (selector.kind) {
    case 'all':
      return users;
    case 'language':
      // The /settings choice first, else Telegram's language (`pt-br` counts as `pt`).
      return users.where((eb) => {
        const chosen = eb
          .selectFrom('user_state')
          .select('user_state.language')
          .whereRef('user_state.user_id', '=', 'users.id')
          .where('user_state.language', 'is not', null);
        return eb.or([
          eb(chosen, '=', selector.language),
          eb.and([
            eb.not(eb.exists(chosen)),
            eb.or([
              eb('users.language_code', '=', selector.language),
              eb('users.language_code', 'like', `${selector.language}-%`),
            ]),
          ]),
        ]);
      });
    case 'active':
      return users.where((eb) =>
        eb.exists(
          eb
            .selectFrom('usage_events')
            .select('usage_events.user_id')
            .whereRef('usage_events.user_id', '=', 'users.id')
            .where('usage_events.at', '>=', now - selector.days * DAY_MS)
            .where('usage_events.at', '<=', now),
        ),
      );
    case 'segment':
      return users.where('users.id', 'in', segmentUsers(db, selector.segment, now));
    case 'entitlement':
      return users.where((eb) =>
        eb.exists(
          eb
            .selectFrom('entitlements')
            .select('entitlements.user_id')
            .whereRef('entitlements.user_id', '=', 'users.id')
            .where('entitlements.key', '=', selector.key)
            .where('entitlements.revoked_at', 'is', null)
            .where('entitlements.starts_at', '<=', now)
            .where((inner) =>
              inner.or([inner('entitlements.ends_at', 'is', null), inner('entitlements.ends_at', '>', now)]),
            ),
        ),
      );
  }
}

/** The users of an analytics segment, by their first and last usage event up to `now`. */
function segmentUsers(db: Kysely<Database>, segment: 'new' | 'active' | 'dormant' | 'churned', now: number) {
  const active = now - ACTIVE_DAYS * DAY_MS;
  const churn = now - CHURN_DAYS * DAY_MS;
  const first = sql<number>`min(usage_events.at)`;
  const last = sql<number>`max(usage_events.at)`;
  const grouped = db
    .selectFrom('usage_events')
    .select('usage_events.user_id')
    .where('usage_events.user_id', 'is not', null)
    .where('usage_events.at', '<=', now)
    .groupBy('usage_events.user_id');
  switch (segment) {
    case 'new':
      return grouped.having(last, '>', active).having(first, '>', active);
    case 'active':
      return grouped.having(last, '>', active).having(first, '<=', active);
    case 'dormant':
      return grouped.having(last, '<=', active).having(last, '>', churn);
    case 'churned':
      return grouped.having(last, '<=', churn);
  }
}

export interface AudienceCount {
  /** Users the segment reaches. */
  recipients: number;
  /** Users of the segment left out because they blocked the bot. */
  blocked: number;
}

/** The segment as written, checked; OmniError AUDIENCE_BAD_SEGMENT naming the accepted forms. */
function parse(segment: string | AudienceSelector): AudienceSelector {
  if (typeof segment !== 'string') return parse(describe(segment));
  const parsed = audienceSegment.safeParse(segment);
  if (!parsed.success) throw new OmniError('AUDIENCE_BAD_SEGMENT', parsed.error.issues[0]?.message ?? 'not a segment');
  return parsed.data;
}

/** The written form of a parsed segment. */
function describe(selector: AudienceSelector): string {
  switch (selector.kind) {
    case 'all':
      return 'all';
    case 'language':
      return `language:${selector.language}`;
    case 'active':
      return `active:${selector.days}`;
    case 'segment':
      return `segment:${selector.segment}`;
    case 'entitlement':
      return `entitlement:${selector.key}`;
  }
}

const PAGE_SIZE = { default: 500, max: 5000 };

/** ctx.audience: what the plugin API offers (see plugins/api-audience.ts). */
export function createAudience(db: Kysely<Database>) {
  return {
    parse,

    async count(segment: string | AudienceSelector, options: { now?: number } = {}): Promise<AudienceCount> {
      const row = await members(db, parse(segment), options.now ?? Date.now())
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.count<number>('users.blocked_bot_at').as('blocked'),
        ])
        .executeTakeFirstOrThrow();
      const blocked = num(row.blocked);
      return { recipients: num(row.total) - blocked, blocked };
    },

    /** Pages of chat ids after `after`, ascending, of users who have not blocked the bot; each page is read when asked for. */
    async *chats(
      segment: string | AudienceSelector,
      options: { after?: number; pageSize?: number; now?: number } = {},
    ): AsyncGenerator<number[]> {
      const selector = parse(segment);
      const now = options.now ?? Date.now();
      const size = Math.min(Math.max(1, Math.floor(options.pageSize ?? PAGE_SIZE.default)), PAGE_SIZE.max);
      let after = options.after ?? Number.MIN_SAFE_INTEGER;
      for (;;) {
        const rows = await members(db, selector, now)
          .select('users.id')
          .where('users.blocked_bot_at', 'is', null)
          .where('users.id', '>', after)
          .orderBy('users.id')
          .limit(size)
          .execute();
        const ids = rows.map((row) => num(row.id));
        if (ids.length > 0) yield ids;
        if (ids.length < size) return;
        after = ids[ids.length - 1] as number;
      }
    },

    /** Marks the user as having blocked the bot, as the bot does when Telegram says so; their next message clears it. */
    async markBlocked(chatId: number, at = Date.now()): Promise<void> {
      await db.updateTable('users').set({ blocked_bot_at: at }).where('id', '=', chatId).execute();
    },
  };
}
