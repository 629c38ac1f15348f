// A Stars payment reaches the ledger once however Telegram delivers it: the same update twice (one
// update_id), the same charge in another update, and an update stored when OMNICore was killed
// (SIGKILL, a separate process) before handling it, resumed at the next start on the same DATA_DIR.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { DAY_MS } from '../../src/payments/entitlements.js';
import { encodeOffer } from '../../src/payments/products.js';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/databases.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { postWebhook, useWebhookPlatform, webhookEnv } from '../support/platform.js';
import { assertBuilt, type ServingOmnicore, startOmnicore } from '../support/processes.js';
import { successfulPaymentUpdate, textUpdate } from '../support/updates.js';

/** What the premium plugin's invoices carry: 50 Stars for 30 days of premium. */
const PAYLOAD = encodeOffer({
  plugin: 'premium',
  product: 'premium',
  currency: 'XTR',
  amount: 50,
  grant: { key: 'premium', days: 30 },
});

/** The ledger's rows for one user: payments, their events, and the grants they made. */
async function ledgerOf(db: DatabaseHandle['db'], userId: number) {
  const payments = await db.selectFrom('payments').selectAll().where('user_id', '=', userId).execute();
  const events = await db
    .selectFrom('payment_events')
    .innerJoin('payments', 'payments.id', 'payment_events.payment_id')
    .select('payment_events.event_id')
    .where('payments.user_id', '=', userId)
    .orderBy('payment_events.id')
    .execute();
  const grants = await db.selectFrom('entitlements').selectAll().where('user_id', '=', userId).execute();
  return { payments, events: events.map((event) => event.event_id), grants };
}

describe.each(DATABASE_KINDS)('a successful_payment delivered again on %s', (kind) => {
  const fixture = useWebhookPlatform(kind);

  it('is credited once: the same update_id twice, and the same charge in another update', async () => {
    const userId = 6101;
    const update = successfulPaymentUpdate('stx-delivered-twice', { userId, payload: PAYLOAD, amount: 50 });
    for (const body of [update, update, { ...update, update_id: update.update_id + 50_000 }]) {
      expect((await fixture.platform.postUpdate(body)).status).toBe(200);
    }
    await fixture.platform.idle();
    const stored = await fixture.platform.database.db
      .selectFrom('telegram_updates')
      .select('update_id')
      .where('update_id', 'in', [update.update_id, update.update_id + 50_000])
      .execute();
    expect(stored).toHaveLength(2);
    const { payments, events, grants } = await ledgerOf(fixture.platform.database.db, userId);
    expect(payments.map((row) => [row.provider_id, row.status, row.product])).toEqual([
      ['stx-delivered-twice', 'paid', 'premium/premium'],
    ]);
    expect(events).toEqual(['stx-delivered-twice']);
    expect(grants.map((grant) => (Number(grant.ends_at) - Number(grant.starts_at)) / DAY_MS)).toEqual([30]);
  });
});

describe.each(DATABASE_KINDS)('a successful_payment stored when the process was killed, on %s', (kind) => {
  let database: TestDatabase;
  let fake: FakeBotApi;
  let running: ServingOmnicore[] = [];

  const start = async (): Promise<ServingOmnicore> => {
    const omnicore = await startOmnicore({
      ...webhookEnv(fake.url),
      DATA_DIR: database.dataDir,
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    });
    running.push(omnicore);
    return omnicore;
  };

  /** Reads the database the server uses, beside it (SQLite in WAL mode, or PostgreSQL). */
  async function inDatabase<T>(read: (db: DatabaseHandle['db']) => Promise<T>): Promise<T> {
    const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
    try {
      return await read(handle.db);
    } finally {
      await handle.close();
    }
  }

  beforeEach(async () => {
    assertBuilt();
    database = await createTestDatabase(kind);
    fake = await new FakeBotApi().start();
  });

  afterEach(async () => {
    for (const omnicore of running) omnicore.killTree();
    await Promise.all(running.map((omnicore) => omnicore.finished));
    running = [];
    await fake.stop();
    await database.dispose();
  });

  it('is resumed at the next start and credited once, with its entitlement', async () => {
    const userId = 6201;
    const first = await start();
    // The user's chat is busy with /help, whose reply hangs at Telegram: the payment that follows in
    // the same chat is stored and acknowledged, and waits its turn when the kill comes.
    fake.fail('sendMessage', { delayMs: 120_000 });
    expect((await postWebhook(first.url, textUpdate('/help', { userId }))).status).toBe(200);
    await fake.waitFor(() => fake.callsOf('sendMessage', false).length === 1);
    const payment = successfulPaymentUpdate('stx-through-a-crash', { userId, payload: PAYLOAD, amount: 50 });
    expect((await postWebhook(first.url, payment)).status).toBe(200);
    const before = await inDatabase(async (db) => ({
      stored: await db
        .selectFrom('telegram_updates')
        .select('status')
        .where('update_id', '=', payment.update_id)
        .executeTakeFirst(),
      ledger: await ledgerOf(db, userId),
    }));
    expect(before.stored).toBeDefined();
    expect(before.stored?.status).not.toBe('done');
    expect(before.ledger.payments).toEqual([]);
    first.child.kill('SIGKILL');
    expect((await first.finished).signal).toBe('SIGKILL');

    fake.clearFaults();
    const second = await start();
    const deadline = Date.now() + 15_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      statuses = await inDatabase(async (db) =>
        (await db.selectFrom('telegram_updates').select('status').execute()).map((row) => row.status),
      );
      if (statuses.length === 2 && statuses.every((status) => status === 'done')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(statuses).toEqual(['done', 'done']);
    // Telegram sends it again (its webhook never heard our 200 for it, say): still credited once.
    expect((await postWebhook(second.url, payment)).status).toBe(200);
    second.child.kill('SIGTERM');
    expect((await second.finished).code).toBe(0);

    const after = await inDatabase((db) => ledgerOf(db, userId));
    expect(after.payments.map((row) => [row.provider_id, row.status, Number(row.amount)])).toEqual([
      ['stx-through-a-crash', 'paid', 50],
    ]);
    expect(after.events).toEqual(['stx-through-a-crash']);
    expect(after.grants).toHaveLength(1);
    expect(after.grants[0]).toMatchObject({ key: 'premium', revoked_at: null });
    expect(fake.sentTexts(userId)).toHaveLength(1);
  });
});
