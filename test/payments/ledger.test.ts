// The ledger on both databases: an event recorded and applied once however often (and however
// concurrently) it arrives; one row per charge; grants that stack; refunds that take back what a
// payment gave; renewals that inherit their subscription's grant; every change in the audit log.
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events.js';
import { DAY_MS } from '../../src/payments/entitlements.js';
import { Payments } from '../../src/payments/payments.js';
import type { ProviderEvent } from '../../src/payments/provider.js';
import type { TelegramPaymentsApi } from '../../src/payments/telegram.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

// Only the Stars provider's refunds and reconciliation use Telegram; these tests use neither.
const telegram = {} as TelegramPaymentsApi;

let charge = 0;
const paid = (
  userId: number,
  extra: Partial<Extract<ProviderEvent['change'], { kind: 'paid' }>> = {},
): ProviderEvent => {
  const providerId = `charge-${++charge}`;
  return {
    provider: 'stars',
    eventId: providerId,
    type: 'successful_payment',
    raw: { providerId },
    change: {
      kind: 'paid',
      providerId,
      userId,
      product: 'shop/premium',
      amount: 50,
      currency: 'XTR',
      grant: { key: 'premium', days: 30 },
      ...extra,
    },
  };
};

describe.each(DATABASE_KINDS)('payments ledger on %s', (kind) => {
  const migrated = useMigratedDatabase(kind);
  const setup = () => {
    const events = new EventBus();
    const heard: string[] = [];
    events.on('paymentSucceeded', ({ payment }) => heard.push(`paid ${payment.providerId}`));
    events.on('paymentRefunded', ({ payment, amount }) => heard.push(`refunded ${payment.providerId} ${amount}`));
    events.on('entitlementChanged', ({ key, active }) => heard.push(`${key} ${active ? 'on' : 'off'}`));
    return { payments: new Payments({ db: migrated.handle.db, events, telegram }), heard };
  };

  it('credits an event delivered twice, or on two connections at once, once', async () => {
    const { payments, heard } = setup();
    const event = paid(101);
    const results = await Promise.all([payments.record(event), payments.record(event), payments.record(event)]);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect((await payments.record(event)).duplicate).toBe(true);
    expect(heard).toEqual([`paid ${event.eventId}`, 'premium on']);
    const rows = await migrated.handle.db.selectFrom('payments').selectAll().where('user_id', '=', 101).execute();
    expect(rows.map((row) => [row.status, Number(row.amount)])).toEqual([['paid', 50]]);
    const granted = await migrated.handle.db
      .selectFrom('entitlements')
      .selectAll()
      .where('user_id', '=', 101)
      .execute();
    expect(granted).toHaveLength(1);
  });

  it('credits a charge reported by a second event (another id) once', async () => {
    const { payments } = setup();
    const event = paid(102);
    await payments.record(event);
    const again = await payments.record({ ...event, eventId: 'reconciled-copy' });
    expect(again.duplicate).toBe(false);
    expect(again.credited).toBeUndefined();
    expect(await payments.ledger.ofUser(102)).toHaveLength(1);
  });

  it('stacks two payments: twice the time, from the end of the first', async () => {
    const { payments } = setup();
    const before = Date.now();
    await payments.record(paid(103));
    await payments.record(paid(103));
    const [premium] = await payments.entitlements(103);
    expect(premium?.key).toBe('premium');
    expect(premium?.until).toBeGreaterThanOrEqual(before + 60 * DAY_MS);
    expect(premium?.until).toBeLessThan(Date.now() + 60 * DAY_MS + 1000);
    expect(await payments.has(103, 'premium')).toBe(true);
    expect(await payments.has(103, 'other')).toBe(false);
  });

  it('takes back what a fully refunded payment granted, keeps it on a partial refund', async () => {
    const { payments, heard } = setup();
    const event = paid(104, { amount: 1000, currency: 'USD' });
    const { payment } = await payments.record({ ...event, provider: 'stripe' });
    const refund = (total: number, id: string) =>
      payments.record({
        provider: 'stripe',
        eventId: id,
        type: 'charge.refunded',
        raw: {},
        change: { kind: 'refunded', providerId: event.eventId, refundedAmount: total },
      });
    expect((await refund(300, 'evt-r1')).refunded).toBe(300);
    expect(await payments.has(104, 'premium')).toBe(true);
    expect((await payments.ledger.get(payment?.id as number))?.status).toBe('partially_refunded');
    // The same total reported again (another event) changes nothing.
    expect((await refund(300, 'evt-r2')).refunded).toBeUndefined();
    expect((await refund(1000, 'evt-r3')).refunded).toBe(700);
    expect(await payments.has(104, 'premium')).toBe(false);
    expect((await payments.ledger.get(payment?.id as number))?.status).toBe('refunded');
    expect(heard.slice(-3)).toEqual([`refunded ${event.eventId} 300`, `refunded ${event.eventId} 700`, 'premium off']);
    const audit = await migrated.handle.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `payment:${payment?.id}`)
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['payment.paid', 'payment.refunded', 'payment.refunded']);
  });

  it('renews a subscription with its first payment’s user and grant, and ends it when told', async () => {
    const { payments } = setup();
    await payments.record(paid(105, { subscriptionId: 'sub-1' }));
    const renewal = await payments.record({
      provider: 'stars',
      eventId: 'renewal-1',
      type: 'invoice.paid',
      raw: {},
      change: { kind: 'paid', providerId: 'renewal-1', amount: 50, currency: 'XTR', subscriptionId: 'sub-1' },
    });
    expect(renewal.payment).toMatchObject({ userId: 105, product: 'shop/premium' });
    const [extended] = await payments.entitlements(105);
    expect(extended?.until).toBeGreaterThan(Date.now() + 59 * DAY_MS);
    const endsAt = Date.now() + DAY_MS;
    await payments.record({
      provider: 'stars',
      eventId: 'sub-1-deleted',
      type: 'customer.subscription.deleted',
      raw: {},
      change: { kind: 'subscription_ended', subscriptionId: 'sub-1', endsAt },
    });
    const [ending] = await payments.entitlements(105);
    expect(ending?.until).toBe(endsAt);
  });

  it('moves an open payment through confirming and underpaid, and records money after expiry as late, granting nothing', async () => {
    const { payments, heard } = setup();
    const event = (eventId: string, change: ProviderEvent['change']): ProviderEvent => ({
      provider: 'cryptopay',
      eventId,
      type: 'status',
      raw: {},
      change,
    });
    const opened = (providerId: string) =>
      event(`${providerId}:pending`, {
        kind: 'pending',
        providerId,
        userId: 107,
        product: 'shop/premium',
        amount: 499,
        currency: 'USD',
      });
    const paidFor = (providerId: string) =>
      event(`${providerId}:paid`, {
        kind: 'paid',
        providerId,
        amount: 499,
        currency: 'USD',
        grant: { key: 'premium', days: 30 },
        expected: true,
      });
    await payments.record(opened('inv-1'));
    await payments.record(event('inv-1:confirming', { kind: 'confirming', providerId: 'inv-1' }));
    await payments.record(event('inv-1:underpaid', { kind: 'underpaid', providerId: 'inv-1', note: '0.9 of 1' }));
    expect((await payments.ledger.find('cryptopay', 'inv-1'))?.status).toBe('underpaid');
    expect(await payments.has(107, 'premium')).toBe(false);
    // The rest arrives: paid in full after all.
    expect((await payments.record(paidFor('inv-1'))).credited).toBe(true);
    expect(await payments.has(107, 'premium')).toBe(true);

    await payments.record(opened('inv-2'));
    await payments.record(event('inv-2:expired', { kind: 'expired', providerId: 'inv-2' }));
    const late = await payments.record(paidFor('inv-2'));
    expect(late.credited).toBeUndefined();
    expect((await payments.ledger.find('cryptopay', 'inv-2'))?.status).toBe('late');
    expect(await payments.entitlements(107)).toHaveLength(1);

    const stranger = await payments.record(paidFor('inv-unknown'));
    expect(stranger).toMatchObject({ duplicate: false, unknown: true });
    expect(await payments.ledger.find('cryptopay', 'inv-unknown')).toBeUndefined();
    expect(heard.filter((line) => line.startsWith('paid'))).toEqual(['paid inv-1']);
  });

  it('lets an admin grant for ever and revoke, audited', async () => {
    const { payments, heard } = setup();
    await payments.grant(106, 'vip', { actor: 'admin:alice' });
    expect(await payments.entitlements(106)).toMatchObject([{ key: 'vip', until: null, paymentId: null }]);
    expect(await payments.revoke(106, 'vip', { actor: 'admin:alice' })).toBe(true);
    expect(await payments.has(106, 'vip')).toBe(false);
    expect(await payments.revoke(106, 'vip', { actor: 'admin:alice' })).toBe(false);
    expect(heard).toEqual(['vip on', 'vip off']);
    const audit = await migrated.handle.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('target', '=', 'user:106')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { actor: 'admin:alice', action: 'entitlement.granted' },
      { actor: 'admin:alice', action: 'entitlement.revoked' },
    ]);
  });
});
