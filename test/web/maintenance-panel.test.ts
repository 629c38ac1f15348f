// The Backups page and the System page's updates in a real browser (Debian's chromium through
// playwright-core) against a whole platform: "Back up now" makes a backup of the running server and
// lists it, "Verify" shows its tables and rows in its row; the restore steps are on the page;
// "Check for updates" asks a local bare repository, "Update now" (confirmed) starts the updater — a
// stand-in process here, so that this checkout never moves — and follows it until it ends.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signedInPanelPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';
import { remoteWithRelease } from '../support/update-remote.js';

const PASSWORD = 'correct-horse-battery';
/** A stand-in updater: exits once the file named by its argument exists. */
const STANDIN = "setInterval(() => require('node:fs').existsSync(process.argv[1]) && process.exit(0), 100);";

describe('backups and updates in the admin panel, in a browser', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let remote: string;
  let source: ReturnType<typeof remoteWithRelease> | undefined;
  const cspViolations: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    source = remoteWithRelease('release');
    remote = source.remote;
    database = await createTestDatabase('sqlite');
    platform = await startTestPlatform(
      database,
      { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: PASSWORD, UPDATE_REMOTE: remote, UPDATE_BRANCH: 'release' },
      { updateCommand: { file: process.execPath, args: ['-e', STANDIN, path.join(remote, 'stop')] } },
    );
    await platform.ready;
    browser = await launchChromium();
    page = await signedInPanelPage(browser, platform.url, 'admin', PASSWORD, { dialogs, cspViolations });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await database?.dispose();
    source?.dispose();
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

  it('checks for updates, starts one after the confirmation and follows it until it ends', async () => {
    await Promise.all([page.waitForEvent('load'), page.locator('nav').getByRole('link', { name: 'System' }).click()]);
    await page.getByTestId('update-check').click();
    await page.getByTestId('update-check-result').filter({ hasText: 'Available:' }).waitFor();
    await expect(page.getByTestId('update-check-result').textContent()).resolves.toContain(`${remote}/release`);
    await page.getByTestId('update-apply').click();
    expect(dialogs.at(-1)).toContain('Update now?');
    await page.getByTestId('update-state').filter({ hasText: 'updating…' }).waitFor();
    await screenshot(page, 'update-running');
    writeFileSync(path.join(remote, 'stop'), '');
    await page.getByTestId('update-state').filter({ hasText: 'not running' }).waitFor({ timeout: 10_000 });
    expect(cspViolations).toEqual([]);
  });
});
