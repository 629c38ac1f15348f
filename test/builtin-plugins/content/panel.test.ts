// The content store's page in the admin panel, in a real browser (Debian's chromium): what the
// store holds and its compression ratio, search with the matches marked, an item with its text,
// its tags edited (and audited), and the item deleted after a confirmation — gone from the bot too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signedInPanelPage } from '../../support/browser.js';

const PASSWORD = 'correct-horse-battery';
const ADA = { id: 6001, first_name: 'Ada' };
const MINUTES = `Minutes of the budget committee.\n${'The committee reviewed the quarterly figures line by line.\n'.repeat(20)}Adjourned.`;

describe('the content page in the admin panel, in a browser', () => {
  const pluginsDir = mkdtempSync(path.join(tmpdir(), 'omnicore-no-plugins-'));
  let bed: PluginTestBed;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  let id = '';

  beforeAll(async () => {
    bed = await createPluginTestBed({
      pluginsDir,
      env: { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: PASSWORD },
      enable: { content: true },
    });
    bed.push(`/save #finance ${MINUTES}`, ADA);
    id = /Saved as ([a-z0-9]+)/.exec(await bed.popText({ userId: ADA.id }))?.[1] ?? '';
    bed.push('/save A note about the garden party', ADA);
    await bed.popText({ userId: ADA.id });
    browser = await launchChromium();
    page = await signedInPanelPage(browser, bed.platform.url, 'admin', PASSWORD, { dialogs, cspViolations });
  });

  afterAll(async () => {
    await browser?.close();
    await bed?.close();
    rmSync(pluginsDir, { recursive: true, force: true });
  });

  it('shows what the store holds and how well it compresses', async () => {
    const menu = page.getByTestId('plugins-menu');
    await menu.getByRole('button').click();
    await Promise.all([page.waitForEvent('load'), menu.getByRole('link', { name: 'Content' }).click()]);
    expect(new URL(page.url()).pathname).toBe('/admin/plugins/content/items');
    await expect(page.getByTestId('stat-items').textContent()).resolves.toBe('2');
    const ratio = Number.parseFloat((await page.getByTestId('stat-ratio').textContent()) ?? '0');
    // The minutes repeat themselves: brotli keeps a fraction of them.
    expect(ratio).toBeGreaterThan(3);
  });

  it('searches with the matches marked and opens an item with its text', async () => {
    await page.fill('#q', 'budget');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Search' }).click()]);
    const hits = page.locator('[data-item]');
    await expect(hits.count()).resolves.toBe(1);
    await expect(hits.locator('mark').first().textContent()).resolves.toMatch(/^budget$/i);
    await Promise.all([page.waitForEvent('load'), hits.getByRole('link').click()]);
    await expect(page.getByTestId('item-text').textContent()).resolves.toBe(MINUTES);
    await screenshot(page, 'content-item');
  });

  it('edits the tags, and the change is in the audit log', async () => {
    await page.fill('#tags', 'finance board-2027');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save tags' }).click()]);
    // Tags are kept in alphabetical order.
    await expect(page.locator('#tags').inputValue()).resolves.toBe('board-2027 finance');
    const audit = await (await bed.admin()).get('/admin/audit');
    expect(audit.body).toContain('plugin.content.tags');
  });

  it('deletes the item after asking, and the bot no longer has it', async () => {
    await page.getByTestId('delete-item').click();
    await page.getByText('Done').waitFor();
    expect(dialogs).toEqual(['Delete this item for good?']);
    bed.push(`/get ${id}`, ADA);
    expect(await bed.popText({ userId: ADA.id })).toBe(`There is no item ${id} that you are allowed to see.`);
    expect(cspViolations).toEqual([]);
  });
});
