// The Backups page in a real browser (Debian's chromium through playwright-core) against a whole
// platform: "Back up now" makes a backup of the running server and lists it, "Verify" shows its
// tables and rows in its row; the restore steps are on the page; no CSP violation.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';

describe('backups in the admin panel, in a browser', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    platform = await startTestPlatform(database, { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: PASSWORD });
    await platform.ready;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
    await page.goto(`${platform.url}/admin/login`);
    await page.fill('#username', 'admin');
    await page.fill('#password', PASSWORD);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await database?.dispose();
  });

  it('backs up now from the Backups page and verifies the backup in its row', async () => {
    await Promise.all([page.waitForEvent('load'), page.locator('nav').getByRole('link', { name: 'Backups' }).click()]);
    expect(new URL(page.url()).pathname).toBe('/admin/backups');
    await expect(page.getByTestId('no-backups').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('restore-help').textContent()).resolves.toContain('omnicore backup restore');

    await page.getByTestId('backup-create').click();
    const row = page.locator('[data-backup]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('sqlite');

    await row.getByRole('button', { name: 'Verify' }).click();
    const result = row.locator('[data-verify-result]');
    await result.filter({ hasText: 'good:' }).waitFor();
    await expect(result.textContent()).resolves.toMatch(/^good: \d+ tables, \d+ rows$/);
    await screenshot(page, 'backups-verified');
    expect(cspViolations).toEqual([]);
  });
});
