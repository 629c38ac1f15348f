// A broadcast from two instances on one PostgreSQL and one Redis: both send, under one limit (the
// bot's, not each instance's), so together they keep to the configured rate with no 429 in the
// steady part; and when one instance stops mid-way the other sends the rest, to no one twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BroadcastBed, partsAround, sendsPerChat, startBroadcastBed } from '../../support/broadcast-bed.js';

const FIRST_USER = 70_000;
const USERS = 400;
const RATE = 50;
const CAP = 60;

describe('a broadcast from two instances', () => {
  let bed: BroadcastBed;

  beforeAll(async () => {
    bed = await startBroadcastBed({
      redis: true,
      database: 'postgres',
      instances: 2,
      ratePerSecond: RATE,
      capPerSecond: CAP,
      blocked: new Set(),
    });
    await bed.seed(FIRST_USER, USERS);
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  });

  it(`reaches ${USERS} users once at the rate of one bot, and goes on when an instance stops`, async () => {
    const second = bed.platforms[1];
    if (!second) throw new Error('the bed has one instance');
    // The plugin was switched on through the first; the second hears of it (Redis) and opens its worker.
    await expect
      .poll(() => second.plugins.list().find((plugin) => plugin.name === 'broadcasts')?.active, { timeout: 10_000 })
      .toBe(true);
    const created = await bed.create({ segment: 'all', text: 'Both instances say hello' });
    expect(created).toMatchObject({ status: 'sending', total: USERS });

    await bed.until(created.id, (b) => b.sent >= USERS * 0.4, (USERS / RATE) * 1000 + 30_000);
    const stoppedAt = Date.now();
    await second.stop();
    const done = await bed.until(created.id, (b) => b.status === 'done', (USERS / RATE) * 1000 + 60_000);

    const perChat = sendsPerChat(bed.limits);
    expect([...perChat].filter(([, times]) => times > 1)).toEqual([]);
    expect(perChat.size).toBe(USERS);
    expect(done).toMatchObject({ sent: USERS, failed: 0, pending: 0 });

    // Both took their share while both ran.
    const sentBy = (instance: string) =>
      bed.fake.callsOf('sendMessage').filter((call) => call.via === instance && call.at < stoppedAt).length;
    expect(sentBy('instance-0')).toBeGreaterThan(USERS * 0.1);
    expect(sentBy('instance-1')).toBeGreaterThan(USERS * 0.1);

    const { before: together, after: alone, tooManyInSteady } = partsAround(bed.limits, stoppedAt);
    console.log(
      `broadcast from two instances: ${USERS} users, cap ${CAP}/s, configured ${RATE}/s: steady ` +
        `${together.rate.toFixed(1)}/s together, ${alone.rate.toFixed(1)}/s after one stopped; ` +
        `429s ${bed.limits.tooMany.length} (steady parts ${tooManyInSteady.length}); before the stop ` +
        `${sentBy('instance-0')} sent by the first, ${sentBy('instance-1')} by the second`,
    );
    // Two instances each at the configured rate would be twice it, far over the cap.
    expect(together.rate).toBeLessThanOrEqual(CAP);
    expect(together.rate).toBeGreaterThanOrEqual(RATE * 0.7);
    expect(tooManyInSteady).toEqual([]);
  }, 300_000);
});
