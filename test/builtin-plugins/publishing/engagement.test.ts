// Engagement of what went out, on both databases, against a fake Mastodon and a fake Forem: the
// panel's "read now" gathers favourites, boosts, replies, views, reactions and comments; the totals
// come back, are exported as a metric and shown per post on the page; replies by others to our
// statuses are forwarded to the configured chat once each, our own replies never.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { singleMetric } from '../../support/metrics-text.js';
import { ADMIN, usePublishingBed } from '../../support/publishing-bed.js';

const admin = { id: ADMIN, first_name: 'Admin' };
const GATHER = '/api/admin/plugins/publishing/engagement';

/** The job id a "Queued as …" answer names. */
function jobId(text: string): string {
  const id = /Queued as ([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!id) throw new Error(`not a queued answer: ${text}`);
  return id;
}

/** The "Reach" cell of a job's row on the panel's page. */
function reachOf(page: string, job: string): string {
  const row = new RegExp(`<tr data-job="${job}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
  const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => cell[1] ?? '');
  return (cells[6] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe.each(DATABASE_KINDS)('engagement of recent posts (%s)', (kind) => {
  const fixture = usePublishingBed(kind, { repliesChat: ADMIN });

  async function ask(text: string): Promise<string> {
    fixture.bed.push(text, admin);
    return fixture.bed.popText({ userId: ADMIN });
  }

  /** A status and an article that went out, with their job ids and remote ids. */
  async function postBoth() {
    const { bed, mastodon, forem } = fixture;
    const post = jobId(await ask('/post Our bot now speaks Mastodon'));
    expect(await bed.popText({ userId: ADMIN })).toMatch(/ is out: /);
    const statusId = [...mastodon.statuses.values()].find((s) => s.text === 'Our bot now speaks Mastodon')?.id ?? '';
    const item = /Saved as ([a-z0-9]+)/.exec(await ask('/save Counting readers\n\nViews and reactions.'))?.[1];
    const article = jobId(await ask(`/publish ${item}`));
    expect(await bed.popText({ userId: ADMIN })).toMatch(/ is out: /);
    const articleId = [...forem.articles.values()].find((a) => a.title === 'Counting readers')?.id ?? 0;
    return { post, article, statusId, articleId };
  }

  it('gathers the counts of both services: totals, metric and per-post reach on the page', async () => {
    const { bed, mastodon, forem } = fixture;
    const { post, article, statusId, articleId } = await postBoth();
    Object.assign(mastodon.statuses.get(statusId) ?? {}, { favourites_count: 5, reblogs_count: 2 });
    Object.assign(forem.articles.get(articleId) ?? {}, {
      page_views_count: 120,
      public_reactions_count: 7,
      comments_count: 3,
    });

    const panel = await bed.admin();
    const gathered = await panel.send('POST', GATHER);
    expect(gathered.status).toBe(200);
    expect(gathered.json()).toEqual({ favourites: 5, boosts: 2, replies: 0, views: 120, reactions: 7, comments: 3 });

    const metric = await singleMetric(bed.platform, 'omnicore_plugin_publishing_engagement');
    const value = (service: string, measure: string) =>
      new RegExp(
        `^omnicore_plugin_publishing_engagement\\{[^}]*service="${service}",measure="${measure}"[^}]*\\} (\\d+)$`,
        'm',
      ).exec(metric)?.[1];
    expect(value('mastodon', 'favourites')).toBe('5');
    expect(value('mastodon', 'boosts')).toBe('2');
    expect(value('devto', 'views')).toBe('120');
    expect(value('devto', 'reactions')).toBe('7');
    expect(value('devto', 'comments')).toBe('3');

    const page = (await panel.get('/admin/plugins/publishing/publishing')).body;
    expect(reachOf(page, post)).toBe('5 favourites 2 boosts');
    expect(reachOf(page, article)).toBe('120 views 7 reactions 3 comments');
  });

  it('forwards a reply by someone else once, and never the account’s own', async () => {
    const { bed, mastodon } = fixture;
    const { statusId } = await postBoth();
    const url = `${mastodon.url}/@omni/${statusId}`;
    mastodon.reply(statusId, { acct: 'ada', text: 'Which library?', createdAt: '2026-11-30T08:00:00.000Z' });
    mastodon.reply(statusId, { acct: 'omni', own: true, text: 'masto.js!', createdAt: '2026-11-30T08:05:00.000Z' });
    mastodon.reply(statusId, {
      acct: 'grace@example.social',
      text: 'Nice work',
      createdAt: '2026-11-30T08:10:00.000Z',
    });

    const panel = await bed.admin();
    await panel.send('POST', GATHER);
    const host = new URL(mastodon.url).host;
    expect(await bed.popText({ userId: ADMIN })).toBe(`💬 ada@${host} replied to ${url}:\nWhich library?`);
    expect(await bed.popText({ userId: ADMIN })).toBe(`💬 grace@example.social replied to ${url}:\nNice work`);

    const again = await panel.send('POST', GATHER);
    expect(again.json()).toMatchObject({ replies: 3 });
    // Anything forwarded would come before the answer to this.
    expect(await ask('/queue')).toMatch(/^The publishing queue:/);
  });
});
