// The Payments pages in a real browser (Debian's chromium through playwright-core) against a whole
// platform in emulator mode: a Stars purchase made in the emulator is listed with the revenue chart,
// refunded from its page (after the confirmation) through Telegram's refundStarPayment, and an
// entitlement is granted and revoked on the buyer's page. Screenshots go to test-results/screenshots/.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { User } from 'grammy/types';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, screenshot, signedInPanelPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { buyPremium, STARS_SHOP, writeStarsShopPlugin } from '../support/stars-shop.js';

const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/payments-panel-${process.pid}/`, import.meta.url));
const PASSWORD = 'correct-horse-battery';
const ADA: User = { id: 7101, is_bot: false, first_name: 'Ada' };

describe('payments in the admin panel, in a browser', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let purchase: { paymentId: number; chargeId: string };
  const dialogs: string[] = [];
  const cspViolations: string[] = [];

  const url = (pathname: string) => `${platform.url}${pathname}`;

  beforeAll(async () => {
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
    writeStarsShopPlugin(PLUGINS_DIR);
    database = await createTestDatabase('sqlite');
    platform = await startTestPlatform(database, {
      PLUGINS_DIR,
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: PASSWORD,
    });
    await platform.ready;
    await platform.plugins.setEnabled(STARS_SHOP, true);
    purchase = await buyPremium(platform, ADA);
    await vi.waitFor(
      async () => {
        expect(
          await platform.database.db.selectFrom('users').select('id').where('id', '=', ADA.id).execute(),
        ).toHaveLength(1);
      },
      { timeout: 5000 },
    );
    browser = await launchChromium();
    page = await signedInPanelPage(browser, platform.url, 'admin', PASSWORD, { dialogs, cspViolations });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await database?.dispose();
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
  });

  it('lists a purchase with the revenue chart and totals, and exports the ledger', async () => {
    await Promise.all([page.waitForEvent('load'), page.locator('nav').getByRole('link', { name: 'Payments' }).click()]);
    expect(new URL(page.url()).pathname).toBe('/admin/payments');
    const row = page.locator(`[data-payment="${purchase.paymentId}"]`);
    await expect(row.getByTestId('user-link').textContent()).resolves.toContain('Ada');
    await expect(row.textContent()).resolves.toContain('50 XTR');
    await expect(row.getByTestId('payment-status').textContent()).resolves.toBe('paid');
    await page.locator('[data-testid=revenue-chart][data-ready]').waitFor();
    await expect(
      page.locator('[data-testid=payment-totals] [data-currency=XTR] [data-testid=net]').textContent(),
    ).resolves.toBe('50 XTR');
    await screenshot(page, 'payments-01-list');
    const href = (await page.getByTestId('export-csv').getAttribute('href')) as string;
    const csv = await page.request.get(url(href));
    expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="payments-/);
    expect(await csv.text()).toContain(`,stars,${purchase.chargeId},`);
  });

  it('refunds the purchase from its page, after asking, and shows the new status', async () => {
    await Promise.all([
      page.waitForEvent('load'),
      page.locator(`[data-payment="${purchase.paymentId}"] [data-testid=payment-link]`).click(),
    ]);
    await expect(page.getByTestId('payment-events').textContent()).resolves.toContain(purchase.chargeId);
    await expect(page.getByTestId('payment-title').getByTestId('payment-status').textContent()).resolves.toBe('paid');
    await screenshot(page, 'payments-02-detail');
    await Promise.all([
      page.waitForEvent('load'),
      page
        .getByTestId('refund-card')
        .getByRole('button', { name: /Refund/ })
        .click(),
    ]);
    expect(dialogs.at(-1)).toContain('Give back this payment through stars?');
    await expect(page.getByTestId('payment-title').getByTestId('payment-status').textContent()).resolves.toBe(
      'refunded',
    );
    await expect(page.getByTestId('payment-refunded').textContent()).resolves.toBe('50 XTR');
    await expect(page.getByTestId('payment-entitlements').textContent()).resolves.toContain('revoked');
    expect(platform.emulator?.payments.refunded(purchase.chargeId)).toBe(true);
    await screenshot(page, 'payments-03-refunded');
  });

  it("grants an entitlement for ever on the buyer's page, and revokes it", async () => {
    await Promise.all([page.waitForEvent('load'), page.getByTestId('payment-fields').getByTestId('user-link').click()]);
    expect(new URL(page.url()).pathname).toBe(`/admin/users/${ADA.id}`);
    await expect(page.getByTestId('entitlements').textContent()).resolves.toContain('None in force.');
    await expect(page.getByTestId('user-payments').textContent()).resolves.toContain('refunded');
    await page.fill('#grant-key', 'vip');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByTestId('grant-form').getByRole('button', { name: 'Grant' }).click(),
    ]);
    const vip = page.locator('[data-testid=entitlements] [data-key=vip]');
    await expect(vip.getByTestId('entitlement-until').textContent()).resolves.toBe('for ever');
    await expect(vip.textContent()).resolves.toContain('granted by hand');
    await screenshot(page, 'payments-04-granted');
    await Promise.all([page.waitForEvent('load'), vip.getByRole('button', { name: 'Revoke' }).click()]);
    expect(dialogs.at(-1)).toBe('Revoke vip from this user?');
    expect(await page.locator('[data-testid=entitlements] [data-key=vip]').count()).toBe(0);
    const trail = await platform.database.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'ip'])
      .where('target', '=', `user:${ADA.id}`)
      .where('actor', '=', 'admin:admin')
      .orderBy('id')
      .execute();
    expect(trail).toEqual([
      // The refund took back what the purchase granted.
      { actor: 'admin:admin', action: 'entitlement.ended', ip: null },
      { actor: 'admin:admin', action: 'entitlement.granted', ip: '127.0.0.1' },
      { actor: 'admin:admin', action: 'entitlement.revoked', ip: '127.0.0.1' },
    ]);
    expect(cspViolations).toEqual([]);
  });
});
