// ctx.audience on both databases: each segment form resolves to the users it names (language from
// /settings before Telegram's, activity from usage events, the analytics segments' thresholds,
// entitlements in force), bots never and users who blocked the bot left out but counted; pages
// resume after a chat id; a bad segment is refused with the forms that work.
import { describe, expect, it } from 'vitest';
import { createAudience } from '../../src/analytics/audience.js';
import { DATABASE_KINDS } from '../support/databases.js';
import { DAY, insertEvents, NOW, useAnalyticsDatabase } from './events.js';

describe.each(DATABASE_KINDS)('audience segments (%s)', (kind) => {
  const fixture = useAnalyticsDatabase(kind);

  /** Users 1–8 as rows; 7 is a bot, 8 blocked the bot. */
  async function seed() {
    const { db } = fixture;
    const user = (id: number, language: string | null, extra: { is_bot?: number; blocked_bot_at?: number } = {}) => ({
      id,
      username: null,
      first_name: `U${id}`,
      last_name: null,
      language_code: language,
      is_bot: 0,
      first_seen: NOW - 60 * DAY,
      last_seen: NOW,
      message_count: 1,
      blocked_bot_at: null,
      ...extra,
    });
    await db.deleteFrom('users').execute();
    await db
      .insertInto('users')
      .values([
        user(1, 'de'),
        user(2, 'de-AT'),
        user(3, 'en'),
        user(4, 'en'),
        user(5, null),
        user(6, 'es'),
        user(7, 'de', { is_bot: 1 }),
        user(8, 'de', { blocked_bot_at: NOW - DAY }),
      ])
      .execute();
    // User 3 chose German in /settings; user 1 chose English.
    await db
      .insertInto('user_state')
      .values([
        { user_id: 3, language: 'de', context: '[]', version: 1, updated_at: NOW },
        { user_id: 1, language: 'en', context: '[]', version: 1, updated_at: NOW },
      ])
      .execute();
    await insertEvents(db, [
      // 1: new (first and last within 7 days) · 2: active (first long ago, last recent) ·
      // 3: dormant (last 10 days ago) · 4: churned (last 40 days ago) · 8: active but blocked.
      { at: NOW - 2 * DAY, user: 1 },
      { at: NOW - 20 * DAY, user: 2 },
      { at: NOW - DAY, user: 2 },
      { at: NOW - 10 * DAY, user: 3 },
      { at: NOW - 40 * DAY, user: 4 },
      { at: NOW - 20 * DAY, user: 8 },
      { at: NOW - DAY, user: 8 },
    ]);
    await db
      .insertInto('entitlements')
      .values([
        {
          user_id: 5,
          key: 'premium',
          payment_id: null,
          starts_at: NOW - DAY,
          ends_at: null,
          revoked_at: null,
          granted_by: 'admin:a',
          created_at: NOW,
        },
        {
          user_id: 6,
          key: 'premium',
          payment_id: null,
          starts_at: NOW - 9 * DAY,
          ends_at: NOW - DAY,
          revoked_at: null,
          granted_by: 'admin:a',
          created_at: NOW,
        },
        {
          user_id: 4,
          key: 'premium',
          payment_id: null,
          starts_at: NOW - DAY,
          ends_at: null,
          revoked_at: NOW,
          granted_by: 'admin:a',
          created_at: NOW,
        },
      ])
      .execute();
  }

  async function chats(segment: string, options: { pageSize?: number; after?: number } = {}) {
    const audience = createAudience(fixture.db);
    const pages: number[][] = [];
    for await (const page of audience.chats(segment, { now: NOW, ...options })) pages.push(page);
    return pages;
  }

  it('resolves each form to its users, leaving out bots and counting the blocked', async () => {
    await seed();
    const audience = createAudience(fixture.db);
    const cases: [string, number[], number][] = [
      ['all', [1, 2, 3, 4, 5, 6], 1],
      ['language:de', [2, 3], 1],
      ['language:en', [1, 4], 0],
      ['active:7', [1, 2], 1],
      ['active:30', [1, 2, 3], 1],
      ['segment:new', [1], 0],
      ['segment:active', [2], 1],
      ['segment:dormant', [3], 0],
      ['segment:churned', [4], 0],
      ['entitlement:premium', [5], 0],
    ];
    for (const [segment, users, blocked] of cases) {
      expect((await chats(segment)).flat(), segment).toEqual(users);
      expect(await audience.count(segment, { now: NOW }), segment).toEqual({ recipients: users.length, blocked });
    }
  });

  it('reads pages in order and resumes after a chat id', async () => {
    expect(await chats('all', { pageSize: 4 })).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    expect(await chats('all', { pageSize: 2, after: 3 })).toEqual([[4, 5], [6]]);
  });

  it('marks a user blocked, and leaves them out from then on', async () => {
    const audience = createAudience(fixture.db);
    await audience.markBlocked(6);
    expect((await chats('all')).flat()).toEqual([1, 2, 3, 4, 5]);
    expect(await audience.count('all', { now: NOW })).toEqual({ recipients: 5, blocked: 2 });
  });

  it('refuses a segment that is none of the forms, naming them', () => {
    const audience = createAudience(fixture.db);
    for (const bad of ['everyone', 'language:german', 'active:0', 'active:400', 'segment:vip', 'entitlement:']) {
      expect(() => audience.parse(bad), bad).toThrow(
        expect.objectContaining({
          code: 'AUDIENCE_BAD_SEGMENT',
          message: expect.stringContaining('`all`, `language:<xx>`'),
        }),
      );
    }
  });
});
