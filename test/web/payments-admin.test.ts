// The Payments pages and their JSON API through fastify's inject, against a whole platform in
// emulator mode on both databases: the ledger filtered and paged, its CSV, a payment with its raw
// events (escaped), a refund of a real Stars purchase through the emulator's refundStarPayment as the
// signed-in admin, the provider's refusal shown, entitlements granted and revoked by hand, all
// audited; and the session and CSRF rules holding for every route.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { User } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/core/events.js';
import { Payments } from '../../src/payments/payments.js';
import type { TelegramPaymentsApi } from '../../src/payments/telegram.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { adminSession, startTestPlatform, type TestPlatform } from '../support/platform.js';
import { buyPremium, STARS_SHOP, writeStarsShopPlugin } from '../support/stars-shop.js';

const PASSWORD = 'correct-horse-battery';
const ADA: User = { id: 7001, is_bot: false, first_name: 'Ada', username: 'ada' };
const BOB: User = { id: 7002, is_bot: false, first_name: 'Bob' };
const HOSTILE = '<script>alert("raw")</script>';

interface Listed {
  payments: {
    id: number;
    provider: string;
    userId: number;
    status: string;
    createdAt: number;
    user: { first_name: string } | null;
  }[];
  total: number;
  totals: { currency: string; count: number; gross: number; refunded: number; net: number }[];
  nextBefore: number | null;
}

describe.each(['sqlite', 'postgres'] as const)('payments in the admin panel on %s', (kind) => {
  const pluginsDir = fileURLToPath(
    new URL(`../../test-results/payments-admin-${kind}-${process.pid}/`, import.meta.url),
  );
  let database: TestDatabase;
  let platform: TestPlatform;
  let session: { cookie: string; csrf: string };
  /** A second handle on the same ledger, for charges no purchase in the emulator made. */
  let ledger: Payments;
  let purchase: { paymentId: number; chargeId: string };

  const get = (url: string, cookie: string | null = session.cookie) =>
    platform.app.inject({ url, headers: cookie ? { cookie } : {} });
  const send = (
    method: 'POST' | 'DELETE',
    url: string,
    payload: object = {},
    headers: Record<string, string> = { 'x-csrf-token': session.csrf },
    cookie: string | null = session.cookie,
  ) => platform.app.inject({ method, url, payload, headers: { ...(cookie ? { cookie } : {}), ...headers } });
  const audit = (target: string) =>
    platform.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'ip', 'details'])
      .where('target', '=', target)
      .orderBy('id')
      .execute();
  const stripe = (providerId: string, userId: number, amount: number, raw: unknown = {}) =>
    ledger.record({
      provider: 'stripe',
      eventId: `evt_${providerId}`,
      type: 'checkout.session.completed',
      raw,
      change: { kind: 'paid', providerId, userId, product: `${STARS_SHOP}/premium`, amount, currency: 'USD' },
    });

  beforeAll(async () => {
    rmSync(pluginsDir, { recursive: true, force: true });
    writeStarsShopPlugin(pluginsDir);
    database = await createTestDatabase(kind);
    platform = await startTestPlatform(database, {
      PLUGINS_DIR: pluginsDir,
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: PASSWORD,
    });
    await platform.ready;
    await platform.plugins.setEnabled(STARS_SHOP, true);
    session = await adminSession(platform, 'admin', PASSWORD);
    ledger = new Payments({ db: platform.database.db, events: new EventBus(), telegram: {} as TelegramPaymentsApi });
    purchase = await buyPremium(platform, ADA);
    await buyPremium(platform, BOB);
    await stripe('cs_1', BOB.id, 499, { note: HOSTILE });
    await stripe('cs_2', ADA.id, 1250);
    // The users table is written in batches: wait until it knows both buyers.
    await vi.waitFor(
      async () => {
        const known = await platform.database.db.selectFrom('users').select('id').execute();
        expect(known).toHaveLength(2);
      },
      { timeout: 5000 },
    );
  });

  afterAll(async () => {
    await platform?.stop();
    await database?.dispose();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('lists the ledger newest first with the users’ names, filters, totals per currency and pages', async () => {
    const all = (await get('/api/admin/payments')).json<Listed>();
    expect(all.total).toBe(4);
    expect(all.payments.map((payment) => payment.provider)).toEqual(['stripe', 'stripe', 'stars', 'stars']);
    expect(all.payments.at(-1)).toMatchObject({ id: purchase.paymentId, userId: ADA.id, user: { first_name: 'Ada' } });
    expect(all.totals).toEqual([
      { currency: 'USD', count: 2, gross: 1749, refunded: 0, net: 1749 },
      { currency: 'XTR', count: 2, gross: 100, refunded: 0, net: 100 },
    ]);
    const ada = (await get(`/api/admin/payments?userId=${ADA.id}&provider=stars`)).json<Listed>();
    expect(ada.payments.map((payment) => payment.id)).toEqual([purchase.paymentId]);
    const today = new Date(all.payments[0]?.createdAt as number).toISOString().slice(0, 10);
    const empty = `&provider=&status=&product=&userId=`;
    expect((await get(`/api/admin/payments?from=${today}&to=${today}${empty}`)).json<Listed>().total).toBe(4);
    expect((await get('/api/admin/payments?from=2001-01-01&to=2001-12-31')).json<Listed>().total).toBe(0);
    expect((await get(`/api/admin/payments?product=${STARS_SHOP}/premium&status=paid`)).json<Listed>().total).toBe(4);
    const first = (await get('/api/admin/payments?limit=3')).json<Listed>();
    expect(first.payments).toHaveLength(3);
    const rest = (await get(`/api/admin/payments?limit=3&before=${first.nextBefore}`)).json<Listed>();
    expect(rest.payments.map((payment) => payment.id)).toEqual([purchase.paymentId]);
    expect(rest.nextBefore).toBeNull();

    const revenue = (await get('/api/admin/payments/revenue?provider=stars')).json<{
      days: string[];
      series: { provider: string; currency: string; amounts: number[] }[];
    }>();
    expect(revenue.days).toHaveLength(30);
    expect(revenue.days.at(-1)).toBe(today);
    expect(revenue.series).toEqual([{ provider: 'stars', currency: 'XTR', amounts: [...Array(29).fill(0), 100] }]);

    const page = await get(`/admin/payments?provider=stars&from=${today}&to=&status=`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<i class="fa-solid fa-credit-card fa-fw me-1"></i>Payments');
    expect(page.body).toContain(`data-payment="${purchase.paymentId}"`);
    expect(page.body).not.toContain('cs_1');
    expect(page.body).toContain('data-testid="revenue-chart"');
    expect(page.body).toContain('stars · XTR');
    expect(page.body).toMatch(/data-testid="net">100 XTR</);
    expect(page.body).toContain(`href="/api/admin/payments.csv?provider=stars&amp;from=${today}"`);
    expect(page.body).toContain('/admin/assets/chartjs/chart.umd.min.js');
    expect(page.body).toContain('/admin/assets/app/charts.js');
  });

  it('refuses filters that are not ones, in the catalogue’s error shape', async () => {
    for (const query of ['status=lost', 'userId=abc', 'from=2026-02-30', 'from=2026-03-02&to=2026-03-01', 'limit=0']) {
      const response = await get(`/api/admin/payments?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ ok: false, error: { code: 'OMNI_INVALID_INPUT' } });
    }
    expect((await get('/admin/payments?status=lost')).statusCode).toBe(400);
  });

  it('exports the filtered ledger as a CSV attachment in minor units and decimals', async () => {
    const response = await get('/api/admin/payments.csv?provider=stripe&status=');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="payments-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = response.body.split('\r\n');
    expect(lines[0]).toBe(
      'id,created_at,provider,provider_id,reference,user_id,product,status,currency,amount_minor,refunded_minor,amount,refunded',
    );
    expect(lines.slice(1, -1).map((line) => line.split(',').slice(2).join(','))).toEqual([
      `stripe,cs_2,,${ADA.id},${STARS_SHOP}/premium,paid,USD,1250,0,12.50,0.00`,
      `stripe,cs_1,,${BOB.id},${STARS_SHOP}/premium,paid,USD,499,0,4.99,0.00`,
    ]);
    const stars = await get(`/api/admin/payments.csv?userId=${ADA.id}&provider=stars`);
    expect(stars.body).toContain(`,stars,${purchase.chargeId},`);
    expect(stars.body).toContain(',XTR,50,0,50,0\r\n');
  });

  it('shows a payment with its provider events, escaped, and what it granted', async () => {
    const bobs = (await get(`/api/admin/payments?userId=${BOB.id}&provider=stripe`)).json<Listed>();
    const id = bobs.payments[0]?.id as number;
    const detail = await get(`/api/admin/payments/${id}`);
    expect(detail.json()).toMatchObject({
      payment: { id, provider: 'stripe', amount: 499, user: { first_name: 'Bob' } },
      events: [{ eventId: 'evt_cs_1', type: 'checkout.session.completed', payload: { note: HOSTILE } }],
      refund: { possible: true, left: 499 },
    });
    const page = await get(`/admin/payments/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(HOSTILE);
    expect(page.body).toContain(
      '&quot;note&quot;: &quot;&lt;script&gt;alert(\\&quot;raw\\&quot;)&lt;/script&gt;&quot;',
    );
    expect(page.body).toContain('4.99 USD');

    const stars = await get(`/admin/payments/${purchase.paymentId}`);
    expect(stars.body).toContain('stars refunds only in full');
    expect(stars.body).not.toContain('id="refund-amount"');
    expect(stars.body).toContain('successful_payment');
    expect(stars.body).toMatch(/data-key="premium"[\s\S]*in force/);
  });

  it('answers 404 for payments and users it does not know', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/payments/999999'],
      ['POST', '/api/admin/payments/999999/refund'],
    ] as const) {
      const response = method === 'GET' ? await get(url) : await send(method, url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ ok: false, error: { code: 'PAYMENT_NOT_FOUND' } });
    }
    expect((await get('/admin/payments/999999')).statusCode).toBe(404);
    const user = await send('POST', '/api/admin/users/999999/entitlements', { key: 'vip' });
    expect(user.statusCode).toBe(404);
    expect(user.json()).toMatchObject({ ok: false, error: { code: 'OMNI_NOT_FOUND' } });
    expect((await get('/api/admin/users/999999/entitlements')).statusCode).toBe(404);
  });

  it('refuses the signed-out and forged requests before they change anything', async () => {
    const refund = `/api/admin/payments/${purchase.paymentId}/refund`;
    for (const response of [
      await send('POST', refund, {}, {}),
      await send('POST', refund, {}, { 'x-csrf-token': `${session.csrf}x` }),
      await send('POST', refund, { _csrf: 'forged' }, {}),
      await send('POST', `/api/admin/users/${ADA.id}/entitlements`, { key: 'vip' }, {}),
      await send('DELETE', `/api/admin/users/${ADA.id}/entitlements/premium`, {}, {}),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ ok: false, error: { code: 'OMNI_CSRF_REJECTED' } });
    }
    for (const response of [
      await send('POST', refund, {}, { 'x-csrf-token': session.csrf }, null),
      await get('/api/admin/payments', null),
      await get('/api/admin/payments.csv', null),
      await get(`/api/admin/payments/${purchase.paymentId}`, null),
    ]) {
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ ok: false, error: { code: 'OMNI_SIGNED_OUT' } });
    }
    const page = await get('/admin/payments', null);
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/admin/login?next=%2Fadmin%2Fpayments');
    expect((await ledger.ledger.get(purchase.paymentId))?.status).toBe('paid');
    expect(platform.emulator?.payments.refunded(purchase.chargeId)).toBe(false);
    expect(await ledger.has(ADA.id, 'premium')).toBe(true);
  });

  it('refunds a Stars purchase through Telegram as the signed-in admin, audited with the address', async () => {
    const partial = await send('POST', `/api/admin/payments/${purchase.paymentId}/refund`, { amount: 10 });
    expect(partial.statusCode).toBe(409);
    expect(partial.json()).toMatchObject({
      error: { code: 'PAYMENT_NOT_REFUNDABLE', message: expect.stringContaining('only in full') },
    });

    const refund = await send('POST', `/api/admin/payments/${purchase.paymentId}/refund`);
    expect(refund.statusCode).toBe(200);
    expect(refund.json()).toMatchObject({ ok: true, payment: { status: 'refunded', refundedAmount: 50 } });
    expect(platform.emulator?.payments.refunded(purchase.chargeId)).toBe(true);
    expect(await ledger.has(ADA.id, 'premium')).toBe(false);
    // Telegram reports the refund too (a refunded_payment message); whichever of the two reaches the
    // ledger first records it, once, and the admin's request is audited with the address either way.
    expect(await audit(`payment:${purchase.paymentId}`)).toEqual([
      expect.objectContaining({ actor: 'payments', action: 'payment.paid' }),
      expect.objectContaining({ actor: expect.stringMatching(/^(admin:admin|payments)$/), action: 'payment.refunded' }),
      {
        actor: 'admin',
        action: 'payment.refund',
        ip: '127.0.0.1',
        details: JSON.stringify({ amount: 50, currency: 'XTR', provider: 'stars', status: 'refunded' }),
      },
    ]);

    const again = await send('POST', `/api/admin/payments/${purchase.paymentId}/refund`);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ ok: false, error: { code: 'PAYMENT_NOT_REFUNDABLE' } });
    const page = await get(`/admin/payments/${purchase.paymentId}`);
    expect(page.body).toContain('data-status="refunded"');
    expect(page.body).toContain('Nothing to refund');
    expect(page.body).toMatch(/data-key="premium"[\s\S]*revoked/);
  });

  it('shows the provider’s refusal and changes nothing', async () => {
    const unknown = await ledger.record({
      provider: 'stars',
      eventId: 'stx-unknown-to-telegram',
      type: 'successful_payment',
      raw: {},
      change: { kind: 'paid', providerId: 'stx-unknown-to-telegram', userId: BOB.id, amount: 25, currency: 'XTR' },
    });
    const id = unknown.payment?.id as number;
    const response = await send('POST', `/api/admin/payments/${id}/refund`);
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({
      ok: false,
      error: { code: 'PAYMENT_PROVIDER_FAILED', message: expect.stringContaining('CHARGE_NOT_FOUND') },
    });
    expect((await ledger.ledger.get(id))?.status).toBe('paid');
    expect((await audit(`payment:${id}`)).map((row) => row.action)).toEqual(['payment.paid']);
  });

  it('grants entitlements by hand for days or for ever and revokes them, audited with the admin and address', async () => {
    const bad = await send('POST', `/api/admin/users/${BOB.id}/entitlements`, { key: 'VIP!', days: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ ok: false, error: { code: 'OMNI_INVALID_INPUT' } });
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/body\.key: .*body\.days/);

    const week = await send('POST', `/api/admin/users/${BOB.id}/entitlements`, { key: 'vip', days: 7 });
    expect(week.statusCode).toBe(200);
    expect((await send('POST', `/api/admin/users/${BOB.id}/entitlements`, { key: 'gold' })).statusCode).toBe(200);
    const held = (await get(`/api/admin/users/${BOB.id}/entitlements`)).json<{
      entitlements: { key: string; until: number | null; paymentId: number | null }[];
      payments: { provider: string }[];
    }>();
    expect(held.entitlements.map((entry) => [entry.key, entry.until === null])).toEqual(
      expect.arrayContaining([
        ['premium', false],
        ['vip', false],
        ['gold', true],
      ]),
    );
    expect(held.payments.map((payment) => payment.provider)).toEqual(['stars', 'stripe', 'stars']);

    const page = await get(`/admin/users/${BOB.id}`);
    expect(page.body).toContain('data-testid="entitlements-card"');
    expect(page.body).toMatch(/data-key="gold"[\s\S]*?for ever[\s\S]*?granted by hand/);
    expect(page.body).toMatch(/data-key="premium"[\s\S]*?href="\/admin\/payments\/\d+">payment #/);

    const revoke = await send('DELETE', `/api/admin/users/${BOB.id}/entitlements/vip`);
    expect(revoke.json()).toMatchObject({ ok: true, revoked: true });
    expect((await send('DELETE', `/api/admin/users/${BOB.id}/entitlements/vip`)).json()).toMatchObject({
      revoked: false,
    });
    expect(await ledger.has(BOB.id, 'vip')).toBe(false);
    expect(await ledger.has(BOB.id, 'gold')).toBe(true);
    const trail = (await audit(`user:${BOB.id}`)).filter((row) => row.actor.startsWith('admin:'));
    expect(trail.map((row) => [row.actor, row.action, row.ip])).toEqual([
      ['admin:admin', 'entitlement.granted', '127.0.0.1'],
      ['admin:admin', 'entitlement.granted', '127.0.0.1'],
      ['admin:admin', 'entitlement.revoked', '127.0.0.1'],
    ]);
  });
});
