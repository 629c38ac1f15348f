// Publishing in the admin panel, on both databases: accounts added only with a token the service
// accepts (never shown back) and removed; a failed post shown with its error and retried once the
// token works again; a scheduled post cancelled; all of it audited. Then the page in Chromium: the
// counts, the queue with a post's link, and the engagement chart drawn by Chart.js.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signedInPanelPage } from '../../support/browser.js';
import { DATABASE_KINDS } from '../../support/databases.js';
import { FAKE_MASTODON_TOKEN } from '../../support/fake-mastodon.js';
import { ADMIN, usePublishingBed } from '../../support/publishing-bed.js';

const API = '/api/admin/plugins/publishing';
const PAGE = '/admin/plugins/publishing/publishing';
const admin = { id: ADMIN, first_name: 'Admin' };

/** The job id a "Queued as …" or "Scheduled as …" answer names. */
function jobId(text: string): string {
  const id = /(?:Queued|Scheduled) as ([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!id) throw new Error(`not a queued answer: ${text}`);
  return id;
}

/** The ids of the accounts the page lists. */
const listedAccounts = (html: string) => [...html.matchAll(/data-account="([^"]+)"/g)].map((match) => match[1]);

describe.each(DATABASE_KINDS)('publishing in the admin panel (%s)', (kind) => {
  const fixture = usePublishingBed(kind);

  it('adds a Mastodon account whose token the instance accepts, and never shows the token', async () => {
    const { bed, mastodon } = fixture;
    const panel = await bed.admin();
    const added = await panel.send('POST', `${API}/accounts`, {
      service: 'mastodon',
      url: mastodon.url,
      token: FAKE_MASTODON_TOKEN,
    });
    expect(added.status).toBe(200);
    const account = added.json<{ id: string; label: string }>();
    expect(account.label).toBe(`@omni@${new URL(mastodon.url).host}`);
    expect(added.body).not.toContain(FAKE_MASTODON_TOKEN);
    const page = await panel.get(PAGE);
    expect(listedAccounts(page.body)).toEqual(['env-mastodon', 'env-devto', account.id]);
    expect(page.body).not.toContain(FAKE_MASTODON_TOKEN);
  });

  it('refuses a token the instance refuses, in its words, and keeps nothing', async () => {
    const { bed, mastodon } = fixture;
    const panel = await bed.admin();
    const before = listedAccounts((await panel.get(PAGE)).body);
    const refused = await panel.send('POST', `${API}/accounts`, {
      service: 'mastodon',
      url: mastodon.url,
      token: 'someone-elses-token-9921',
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('The access token is invalid');
    const page = (await panel.get(PAGE)).body;
    expect(listedAccounts(page)).toEqual(before);
    expect(page).not.toContain('someone-elses-token-9921');
  });

  it('removes an account added in the panel, and only such an account', async () => {
    const { bed, mastodon } = fixture;
    const panel = await bed.admin();
    const id = `mastodon-omni-${new URL(mastodon.url).host.replace(/[^a-z0-9]+/g, '-')}`;
    expect(listedAccounts((await panel.get(PAGE)).body)).toContain(id);
    expect((await panel.send('DELETE', `${API}/accounts/${id}`)).status).toBe(200);
    expect(listedAccounts((await panel.get(PAGE)).body)).toEqual(['env-mastodon', 'env-devto']);
    expect((await panel.send('DELETE', `${API}/accounts/${id}`)).status).toBe(404);
    expect((await panel.send('DELETE', `${API}/accounts/env-mastodon`)).status).toBe(404);
  });

  it('cancels a scheduled post', async () => {
    const { bed, mastodon } = fixture;
    const panel = await bed.admin();
    bed.push('/schedule in 2h The quarterly report is out.', admin);
    const id = jobId(await bed.popText({ userId: ADMIN }));
    expect((await panel.send('POST', `${API}/jobs/${id}/cancel`)).status).toBe(200);
    expect((await panel.send('POST', `${API}/jobs/${id}/cancel`)).status).toBe(409);
    const row = new RegExp(`data-job="${id}"[\\s\\S]*?data-testid="status">cancelled<`);
    expect((await panel.get(PAGE)).body).toMatch(row);
    expect([...mastodon.statuses.values()].some((status) => status.text.includes('quarterly'))).toBe(false);
  });

  it('shows a post that failed on a revoked token, and posts it once retried after the token works again', async () => {
    const { bed, mastodon } = fixture;
    const panel = await bed.admin();
    mastodon.revoke();
    bed.push('/post The library opens late on Thursday.', admin);
    const id = jobId(await bed.popText({ userId: ADMIN }));
    // The admin hears of the refused token (an alert) and of the post that failed for good.
    const told = [await bed.popText({ userId: ADMIN, timeoutMs: 10_000 }), await bed.popText({ userId: ADMIN })];
    expect(told.join('\n')).toContain('refused the token');
    expect(told.join('\n')).toContain(`${id} failed for good`);
    const failed = (await panel.get(PAGE)).body;
    expect(failed).toMatch(
      new RegExp(`data-job="${id}"[\\s\\S]*?data-testid="error">[^<]*The access token was revoked`),
    );
    expect(failed).toContain('data-testid="broken"');

    const still = await panel.send('POST', `${API}/jobs/${id}/retry`);
    expect(still.status).toBe(400);
    expect(still.body).toContain('The access token was revoked');

    mastodon.restore();
    expect((await panel.send('POST', `${API}/jobs/${id}/retry`)).status).toBe(200);
    await expect
      .poll(() => [...mastodon.statuses.values()].filter((s) => s.text === 'The library opens late on Thursday.'), {
        timeout: 10_000,
      })
      .toHaveLength(1);
    expect((await panel.get(PAGE)).body).not.toContain('data-testid="broken"');
  });

  it('keeps what the panel changed in the audit log', async () => {
    const audit = (await (await fixture.bed.admin()).get('/admin/audit')).body;
    for (const action of ['account.add', 'account.remove', 'job.cancel', 'job.retry']) {
      expect(audit).toContain(`plugin.publishing.${action}`);
    }
  });
});

describe('the publishing page in a browser', () => {
  const PASSWORD = 'correct-horse-battery';
  const fixture = usePublishingBed('sqlite', {}, { ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: PASSWORD });
  const watch = { dialogs: [] as string[], cspViolations: [] as string[] };
  const errors: string[] = [];
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await signedInPanelPage(browser, fixture.bed.platform.url, 'admin', PASSWORD, watch);
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the counts, the queue with a post’s link, and the engagement chart', async () => {
    const { bed, mastodon } = fixture;
    bed.push('/post Opening hours for the holidays.', admin);
    const id = jobId(await bed.popText({ userId: ADMIN }));
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 10_000 })).toMatch(`${id} is out`);
    const status = [...mastodon.statuses.values()].find((s) => s.text === 'Opening hours for the holidays.');

    const menu = page.getByTestId('plugins-menu');
    await menu.getByRole('button').click();
    await Promise.all([page.waitForEvent('load'), menu.getByRole('link', { name: 'Publishing' }).click()]);
    expect(new URL(page.url()).pathname).toBe(PAGE);
    await expect(page.getByTestId('count-done').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('count-failed').textContent()).resolves.toBe('0');
    const link = page.locator(`[data-job="${id}"] a`);
    await expect(link.getAttribute('href')).resolves.toBe(`${mastodon.url}/@omni/${status?.id}`);

    const chart = page.getByTestId('engagement-chart');
    await page.locator('canvas[data-chart][data-ready="true"]').waitFor();
    // Chart.js keeps the chart it drew on the canvas: one dataset per measure.
    const datasets = await chart.evaluate((canvas) => {
      type ChartJs = { getChart(canvas: unknown): { data: { datasets: unknown[] } } | undefined };
      return (globalThis as unknown as { Chart: ChartJs }).Chart.getChart(canvas)?.data.datasets.length ?? 0;
    });
    expect(datasets).toBe(6);
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(0);
    expect(box?.height).toBeGreaterThan(0);
    await screenshot(page, 'publishing-panel');
    expect(errors).toEqual([]);
    expect(watch.cspViolations).toEqual([]);
  });
});
