// Bans and security events on SQLite and PostgreSQL, on an injected clock: bans expire, admins are
// refused, the ladder escalates, a second instance sees a ban and an unban, and the panel's filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { OmniError } from '../../src/errors.js';
import { BanStore } from '../../src/ops/security/ban-store.js';
import { SecurityEvents } from '../../src/ops/security/security-events.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';

const ADMIN = 7;
const LADDER = [60, 600, 3600, 86_400];
const QUIET_MS = 24 * 3_600_000;

describe.each(DATABASE_KINDS)('bans and security events on %s', (kind) => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let now = 1_700_000_000_000;
  const clock = () => now;
  let events: SecurityEvents;
  let bans: BanStore;

  const newStore = () => new BanStore(handle.db, { adminIds: new Set([ADMIN]), events, clock });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    await migrateToLatest(handle);
    events = new SecurityEvents(handle.db, {
      maxBuffered: 1000,
      retentionDays: () => 90,
      onError: (error) => {
        throw error;
      },
      onDropped: () => {},
      clock,
    });
    bans = newStore();
  });

  afterAll(async () => {
    await handle?.close();
    await database?.dispose();
  });

  it('bans until the given time, then lets the user through again', async () => {
    await bans.ban(100, { until: now + 60_000, reason: 'test', by: 'telegram:7' });
    expect(bans.isBanned(100)).toBe(true);
    expect(bans.isBanned(101)).toBe(false);
    now += 59_999;
    expect(bans.isBanned(100)).toBe(true);
    now += 1;
    expect(bans.isBanned(100)).toBe(false);
    expect((await bans.list()).map((ban) => ban.userId)).not.toContain(100);
  });

  it('keeps a permanent ban until an admin lifts it', async () => {
    await bans.ban(110, { reason: 'spammer', by: 'telegram:7' });
    now += 365 * 86_400_000;
    expect(bans.isBanned(110)).toBe(true);
    expect(await bans.list()).toContainEqual(expect.objectContaining({ userId: 110, until: null, reason: 'spammer' }));
    expect(await bans.unban(110, 'telegram:7')).toBe(true);
    expect(bans.isBanned(110)).toBe(false);
    expect(await bans.unban(110, 'telegram:7')).toBe(false);
  });

  it('refuses to ban an admin, with a clear error, and records nothing', async () => {
    const before = (await events.list({ userId: ADMIN })).length;
    const attempt = bans.ban(ADMIN, { reason: 'oops', by: 'telegram:8' });
    await expect(attempt).rejects.toBeInstanceOf(OmniError);
    await expect(attempt).rejects.toMatchObject({ code: 'SECURITY_ADMIN_NOT_BANNABLE', statusCode: 409 });
    await expect(bans.escalate(ADMIN, 'flood', LADDER, QUIET_MS)).rejects.toMatchObject({
      code: 'SECURITY_ADMIN_NOT_BANNABLE',
    });
    expect(bans.isBanned(ADMIN)).toBe(false);
    expect(await events.list({ userId: ADMIN })).toHaveLength(before);
  });

  it('escalates repeat offences along the ladder and starts again after a quiet period', async () => {
    const lengths: number[] = [];
    for (let offence = 0; offence < 3; offence++) {
      const ban = await bans.escalate(120, 'flood: burst', LADDER, QUIET_MS);
      lengths.push(((ban.until as number) - ban.createdAt) / 1000);
      now = (ban.until as number) + 1000;
    }
    expect(lengths).toEqual([60, 600, 3600]);
    now += QUIET_MS;
    const fresh = await bans.escalate(120, 'flood: burst', LADDER, QUIET_MS);
    expect(fresh.level).toBe(1);
  });

  it('shows a ban and an unban made by another instance within one refresh', async () => {
    const other = newStore();
    await other.refresh();
    await bans.ban(130, { until: now + 600_000, reason: 'elsewhere', by: 'admin-panel:root' });
    expect(other.isBanned(130)).toBe(false);
    await other.refresh();
    expect(other.isBanned(130)).toBe(true);
    await bans.unban(130, 'admin-panel:root');
    await other.refresh();
    expect(other.isBanned(130)).toBe(false);
  });

  it('lists events newest first, filtered by type, user and time, and pages with `before`', async () => {
    now += 1000;
    const since = now;
    events.record({ type: 'signin_failure', ip: '203.0.113.9', detail: { username: 'root' } });
    now += 1000;
    events.record({ type: 'webhook_forgery', ip: '198.51.100.4', detail: { secret: 'wrong' } });
    await bans.ban(140, { until: now + 1000, reason: 'listed', by: 'telegram:7' });

    const recent = await events.list({ since });
    expect(recent.map((event) => event.type)).toEqual(['ban', 'webhook_forgery', 'signin_failure']);
    expect(recent[0]).toMatchObject({ userId: 140, detail: { reason: 'listed', by: 'telegram:7' } });
    expect(await events.list({ type: 'signin_failure', since })).toEqual([
      expect.objectContaining({ ip: '203.0.113.9', detail: { username: 'root' } }),
    ]);
    expect((await events.list({ userId: 140 })).map((event) => event.type)).toEqual(['ban']);
    const firstPage = await events.list({ since, limit: 2 });
    const nextPage = await events.list({ since, limit: 2, before: firstPage[1]?.id });
    expect(nextPage.map((event) => event.type)).toEqual(['signin_failure']);
    await expect(events.list({ type: 'nonsense' as never })).rejects.toThrow(/type/);
    await expect(events.list({ limit: 0 })).rejects.toThrow(/limit/);
  });

  it('purges events older than the retention period', async () => {
    events.record({ type: 'spam', userId: 150, at: now - 91 * 86_400_000 });
    events.record({ type: 'spam', userId: 150, at: now - 89 * 86_400_000 });
    await events.flush();
    await events.purge();
    expect(await events.list({ userId: 150 })).toHaveLength(1);
  });
});
