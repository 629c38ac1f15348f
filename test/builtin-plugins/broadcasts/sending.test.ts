// A broadcast against a fake Bot API that enforces Telegram's limits, with Redis (BullMQ) and
// without (ctx.jobs): every user reached once, at ≥ 95 % of the configured rate with no 429 in the
// steady part, users who blocked the bot recorded and counted, and a restart of the platform
// mid-way going on without sending to anyone twice. FAULT_SCALE=full runs the 5,000-user broadcast
// at Telegram's real pace (25/s under a cap of 30/s, about 200 s); the default is smaller and faster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL } from '../../faults/scale.js';
import { type BroadcastBed, partsAround, sendsPerChat, startBroadcastBed } from '../../support/broadcast-bed.js';

const FIRST_USER = 50_000;

const scales = {
  redis: FULL ? { users: 5000, rate: 25, cap: 30 } : { users: 400, rate: 50, cap: 60 },
  jobs: FULL ? { users: 1000, rate: 25, cap: 30 } : { users: 200, rate: 50, cap: 60 },
};

describe.each(['redis', 'jobs'] as const)('a broadcast through %s', (via) => {
  const { users, rate, cap } = scales[via];
  /** Every 37th user blocked the bot (Telegram answers 403); every 101st is already marked so. */
  const blockedAtTelegram = new Set(
    Array.from({ length: users }, (_, i) => FIRST_USER + i).filter((id) => id % 37 === 0),
  );
  const blockedInDb = new Set(
    Array.from({ length: users }, (_, i) => FIRST_USER + i).filter((id) => id % 101 === 0 && id % 37 !== 0),
  );
  let bed: BroadcastBed;

  beforeAll(async () => {
    bed = await startBroadcastBed({
      redis: via === 'redis',
      ratePerSecond: rate,
      capPerSecond: cap,
      blocked: blockedAtTelegram,
    });
    await bed.seed(FIRST_USER, users, blockedInDb);
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  });

  it(`reaches ${users} users once at the configured rate, and survives a restart mid-way`, async () => {
    const reachable = users - blockedInDb.size;
    const created = await bed.create({
      segment: 'all',
      text: '<b>News</b>: we moved',
      buttons: 'Read | https://example.com/news',
    });
    expect(created).toMatchObject({ status: 'sending', total: reachable, skippedBlocked: blockedInDb.size });

    await bed.until(created.id, (b) => b.sent >= reachable * 0.4, (users / rate) * 1000 + 30_000);
    const restartedAt = Date.now();
    await bed.restart();
    const done = await bed.until(created.id, (b) => b.status === 'done', (users / rate) * 1000 + 60_000);

    const perChat = sendsPerChat(bed.limits);
    const twice = [...perChat].filter(([, times]) => times > 1);
    expect(twice).toEqual([]);
    expect(perChat.size).toBe(reachable - [...blockedAtTelegram].length);
    expect(done).toMatchObject({ sent: perChat.size, blocked: blockedAtTelegram.size, failed: 0, pending: 0 });
    expect([...blockedInDb].some((id) => perChat.has(id))).toBe(false);

    const marked = await bed.platform.database.db
      .selectFrom('users')
      .select('id')
      .where('blocked_bot_at', 'is not', null)
      .execute();
    expect(new Set(marked.map((row) => row.id))).toEqual(new Set([...blockedAtTelegram, ...blockedInDb]));

    // The rate in each part, before the restart and after it, without their first and last tenth.
    const { before, after, tooManyInSteady } = partsAround(bed.limits, restartedAt);
    const parts = [before, after];
    console.log(
      `broadcast via ${via}: ${users} users, cap ${cap}/s, configured ${rate}/s: steady ` +
        parts
          .map((part) => `${part.rate.toFixed(1)}/s (${((part.rate / rate) * 100).toFixed(1)} %)`)
          .join(' before, ') +
        ` after the restart; 429s ${bed.limits.tooMany.length} (steady parts ${tooManyInSteady.length}); ` +
        `${done.sent} sent, ${done.blocked} blocked, ${done.skippedBlocked} skipped; ${((done.finishedAt ?? 0) - (done.startedAt ?? 0)) / 1000} s`,
    );
    expect(tooManyInSteady).toEqual([]);
    // The short default run's parts last a few seconds on a shared machine, the one after the
    // restart mostly the new process warming up: there the figures are printed and only a floor is
    // checked before the restart; the full run holds both parts to the 95 %.
    const checked = FULL ? parts : parts.slice(0, 1);
    for (const part of checked) expect(part.rate).toBeGreaterThanOrEqual(rate * (FULL ? 0.95 : 0.7));
    const sent = bed.fake.callsOf('sendMessage').find((call) => Number(call.params.chat_id) === FIRST_USER + 1);
    expect(sent?.params).toMatchObject({
      text: '<b>News</b>: we moved',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Read', url: 'https://example.com/news' }]] },
    });
  }, 600_000);
});
