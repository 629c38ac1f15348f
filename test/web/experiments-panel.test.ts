// The Experiments pages in a real browser (Debian's chromium through playwright-core) against a whole
// platform in emulator mode: an experiment started from the form, listed, opened; its arms filling
// live as users send /start in the emulator, with the interval against control drawn; its decision
// log; the Settings page naming it; and the experiment stopped from its page. One page session
// throughout. Screenshots go to test-results/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signedInPanelPage } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPlatform, type TestPlatform } from '../support/platform.js';

const PASSWORD = 'correct-horse-battery';
/** Enough users that each arm passes the 30 the interval needs. */
const USERS = 90;

describe('experiments in the admin panel, in a browser', () => {
  let database: TestDatabase;
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    platform = await startTestPlatform(database, { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: PASSWORD });
    await platform.ready;
    await platform.settings.set('experiments.maxTrafficShare', 1);
    browser = await launchChromium();
    page = await signedInPanelPage(browser, platform.url, 'admin', PASSWORD, { dialogs, cspViolations });
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await database?.dispose();
  });

  it('starts an experiment from the form, follows its arms live, and stops it', async () => {
    await Promise.all([
      page.waitForEvent('load'),
      page.locator('nav').getByRole('link', { name: 'Experiments' }).click(),
    ]);
    expect(new URL(page.url()).pathname).toBe('/admin/experiments');
    await page.getByTestId('no-experiments').waitFor();

    // A value of another target is not offered; an empty choice is refused by the engine, shown in the form.
    const form = page.getByTestId('experiment-form');
    await form.getByLabel('Target').selectOption('bot.welcome');
    expect(await form.locator('[data-values-for="conversation.confidenceThreshold"]').isHidden()).toBe(true);
    await form.getByRole('button', { name: 'Start now' }).click();
    await expect.poll(() => page.getByTestId('experiment-form-error').textContent()).toContain('values');
    await form.getByLabel('guided').check();
    await form.getByLabel('Primary metric').selectOption('command');
    await form.getByLabel('Share of users (%)').fill('100');
    await form.getByLabel('Reason').fill('guided may lead to more commands');
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Start now' }).click()]);

    const row = page.locator('[data-experiment]').first();
    await expect(row.getByTestId('experiment-status').textContent()).resolves.toBe('running');
    await expect(row.textContent()).resolves.toContain('bot.welcome');
    await screenshot(page, 'experiments-01-list');

    await Promise.all([page.waitForEvent('load'), row.getByRole('link').first().click()]);
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    expect(id).toBeGreaterThan(0);
    await page.locator('#experiment-report[data-ready]').waitFor();
    const arms = page.locator('[data-testid=arms] tbody tr[data-arm]');
    expect(await arms.count()).toBe(2);
    await expect(arms.nth(1).textContent()).resolves.toContain('guided');
    const log = page.getByTestId('decision-log').locator('tbody tr');
    expect(await log.evaluateAll((rows) => rows.map((entry) => entry.getAttribute('data-action')))).toEqual([
      'experiment.start',
      'experiment.propose',
    ]);
    await expect(log.nth(1).textContent()).resolves.toContain('guided may lead to more commands');

    // Users arrive while the page is open: its figures follow without a reload.
    for (let n = 0; n < USERS; n++)
      platform.emulator?.sendUserMessage({ id: 9100 + n, is_bot: false, first_name: `U${n}` }, '/start');
    const users = () =>
      arms
        .locator('[data-users]')
        .evaluateAll((cells) => cells.reduce((sum, cell) => sum + Number(cell.textContent), 0));
    await expect.poll(users, { timeout: 15_000, interval: 500 }).toBe(USERS);
    await arms.nth(1).locator('.interval-bar').waitFor();
    expect(await arms.nth(0).locator('[data-interval]').textContent()).toBe('control');
    await expect(arms.nth(1).locator('[data-guard=errors]').textContent()).resolves.toContain('bound +2.0 pts');
    await screenshot(page, 'experiments-02-report');

    // The Settings page names the experiment on the setting, and leads back to it.
    await page.goto(`${platform.url}/admin/settings`);
    const welcome = page.locator('[data-field="bot.welcome"]');
    await expect(welcome.getByTestId('mutable').textContent()).resolves.toBe('mutable');
    await expect(welcome.getByTestId('setting-origin').textContent()).resolves.toBe('default');
    await expect(welcome.getByTestId('setting-experiment').textContent()).resolves.toBe(
      `experiment #${id} running on it`,
    );
    expect(await page.locator('[data-field="inbox.maxAttempts"] [data-testid=mutable]').count()).toBe(0);
    await screenshot(page, 'experiments-03-settings');
    await Promise.all([page.waitForEvent('load'), welcome.getByTestId('setting-experiment').click()]);
    await page.locator('#experiment-report[data-ready]').waitFor();

    await Promise.all([
      page.waitForEvent('load'),
      page.getByTestId('experiment-actions').getByRole('button', { name: 'Stop' }).click(),
    ]);
    expect(dialogs.at(-1)).toContain(`Stop experiment #${id}?`);
    await expect(page.getByTestId('experiment-status').first().textContent()).resolves.toBe('stopped');
    await expect(page.getByTestId('experiment-outcome').textContent()).resolves.toContain('stopped by admin:admin');
    expect(await log.first().getAttribute('data-action')).toBe('experiment.stop');
    expect(await page.getByTestId('experiment-actions').getByRole('button').count()).toBe(0);
    await screenshot(page, 'experiments-04-stopped');
    expect(cspViolations).toEqual([]);
  });
});
