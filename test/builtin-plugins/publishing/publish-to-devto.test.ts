// /publish of a content item to DEV.to, on both databases, against a fake Forem over real HTTP: the
// article with its title, Markdown, tags, canonical URL and series (or a draft); who may publish what;
// tags DEV.to would refuse fail the job before anything is sent; a rate limit is waited out; a create
// whose answer was lost is adopted, not made twice; and a document of the filing system goes out too.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import type { ForemArticle } from '../../support/fake-forem.js';
import { ADMIN, usePublishingBed } from '../../support/publishing-bed.js';

const POSTER = { id: 1002, first_name: 'Poster' };
const STRANGER = { id: 1003, first_name: 'Stranger' };
const admin = { id: ADMIN, first_name: 'Admin' };
const MARKDOWN = 'Typed bots on Telegram\n\nWe moved our **bots** to TypeScript:\n\n- fewer bugs\n- better sleep';

type Bed = ReturnType<typeof usePublishingBed>;
type User = typeof admin;

async function ask({ bed }: Bed, user: User, text: string): Promise<string> {
  bed.push(text, user);
  return bed.popText({ userId: user.id });
}

/** Saves `text` as `user` and returns the item's id. */
async function save(fixture: Bed, user: User, text: string): Promise<string> {
  const answer = await ask(fixture, user, `/save ${text}`);
  const id = /Saved as ([a-z0-9]+)/.exec(answer)?.[1];
  if (!id) throw new Error(`not saved: ${answer}`);
  return id;
}

/** Sends /publish and returns the queued job's id. */
async function publish(fixture: Bed, user: User, words: string): Promise<string> {
  const answer = await ask(fixture, user, `/publish ${words}`);
  const id = /Queued as ([A-Za-z0-9_-]+)/.exec(answer)?.[1];
  if (!id) throw new Error(`not queued: ${answer}`);
  return id;
}

/** The articles on the fake Forem with this title. */
const titled = ({ forem }: Bed, title: string): ForemArticle[] =>
  [...forem.articles.values()].filter((article) => article.title === title);

/** The article's URL as the fake Forem shows it: what "is out" must name. */
const urlOf = ({ forem }: Bed, article: ForemArticle) =>
  `https://dev.to/${forem.user.username}/${article.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${article.id.toString(36)}`;

/** "attempts/max" of a job, as the panel's queue shows it. */
async function attempts({ bed }: Bed, job: string): Promise<string | undefined> {
  const page = await (await bed.admin()).get('/admin/plugins/publishing/publishing');
  return new RegExp(`data-job="${job}"[\\s\\S]*?<td class="small">(\\d+/\\d+)</td>`).exec(page.body)?.[1];
}

const creates = ({ forem }: Bed) =>
  forem.requests.filter((request) => request.method === 'POST' && request.path === '/api/articles');

describe.each(DATABASE_KINDS)('publishing content items to DEV.to (%s)', (kind) => {
  const fixture = usePublishingBed(kind, { posters: [POSTER.id], retrySeconds: 1 });

  it('takes a first heading as the title, not twice, and a quoted series of several words', async () => {
    const id = await save(fixture, admin, '# Shipping on Fridays\n\nWe do it, carefully.');
    await publish(fixture, admin, `${id} draft series:"Release notes"`);
    expect(await fixture.bed.popText({ userId: ADMIN })).toMatch(/ is out: /);
    expect(titled(fixture, 'Shipping on Fridays')).toMatchObject([
      { body_markdown: 'We do it, carefully.', series: 'Release notes', published: false },
    ]);
  });

  it('publishes a saved Markdown text with its tags, canonical URL and series, and says where', async () => {
    const id = await save(fixture, admin, MARKDOWN);
    const job = await publish(fixture, admin, `${id} #typescript #bots canonical:https://example.org/post series:Bots`);
    const out = await fixture.bed.popText({ userId: ADMIN });
    const [article] = titled(fixture, 'Typed bots on Telegram');
    expect(article).toMatchObject({
      body_markdown: MARKDOWN,
      tags: ['typescript', 'bots'],
      canonical_url: 'https://example.org/post',
      series: 'Bots',
      published: true,
    });
    expect(out).toBe(`${job} is out: ${urlOf(fixture, article as ForemArticle)}`);
  });

  it('makes a draft when asked', async () => {
    const id = await save(fixture, admin, 'A draft for later\n\nNot ready yet.');
    const job = await publish(fixture, admin, `${id} draft`);
    expect(await fixture.bed.popText({ userId: ADMIN })).toMatch(new RegExp(`^${job} is out: `));
    expect(titled(fixture, 'A draft for later')).toMatchObject([{ published: false, published_at: null }]);
  });

  it('refuses someone who is neither an admin nor a poster, and what a poster may not see', async () => {
    const id = await save(fixture, admin, 'Private thoughts\n\nOnly mine.');
    expect(await ask(fixture, STRANGER, `/publish ${id}`)).toBe(
      "Only the bot's admins and the posters set in the panel may publish.",
    );
    expect(await ask(fixture, POSTER, `/publish ${id}`)).toBe(`There is no content item ${id} that you may see.`);
    const own = await save(fixture, POSTER, "A poster's own piece\n\nWritten by the poster.");
    await publish(fixture, POSTER, own);
    expect(await fixture.bed.popText({ userId: POSTER.id })).toMatch(/ is out: https:\/\/dev\.to\//);
    expect(titled(fixture, 'Private thoughts')).toEqual([]);
  });

  it('fails a job with more than 4 tags for good, before sending it, and tells the admin why', async () => {
    const id = await save(fixture, admin, 'Too many tags\n\nTagged to death.');
    const before = creates(fixture).length;
    const job = await publish(fixture, admin, `${id} #a1 #b2 #c3 #d4 #e5`);
    expect(await fixture.bed.popText({ userId: ADMIN })).toBe(
      `${job} failed for good: DEV.to takes at most 4 tags; this article has 5. It can be retried from /queue or the panel.`,
    );
    expect(creates(fixture).length).toBe(before);
    expect(titled(fixture, 'Too many tags')).toEqual([]);
  });

  it('waits out a 429 on the create as DEV.to asks, then publishes once', async () => {
    const id = await save(fixture, admin, 'Rate limited piece\n\nPatience.');
    fixture.forem.rateLimitNext(1, '1', 'POST');
    const job = await publish(fixture, admin, id);
    expect(await fixture.bed.popText({ userId: ADMIN, timeoutMs: 15_000 })).toMatch(new RegExp(`^${job} is out: `));
    expect(titled(fixture, 'Rate limited piece')).toHaveLength(1);
    expect(await attempts(fixture, job)).toBe('2/10');
  });

  it('does not take an older article of the same title for the one it was asked to make', async () => {
    // Forem lists drafts first: the newest article is not always the first listed.
    fixture.forem.add({ title: 'Some notes, older' });
    const older = fixture.forem.add({ title: 'Weekly notes', published: true, published_at: '2026-01-05T10:00:00Z' });
    const id = await save(fixture, admin, 'Weekly notes\n\nThis week, new ones.');
    fixture.forem.rateLimitNext(1, '1', 'POST');
    const job = await publish(fixture, admin, id);
    expect(await fixture.bed.popText({ userId: ADMIN, timeoutMs: 15_000 })).toMatch(new RegExp(`^${job} is out: `));
    const made = titled(fixture, 'Weekly notes').filter((article) => article.id !== older.id);
    expect(made).toMatchObject([{ body_markdown: 'Weekly notes\n\nThis week, new ones.' }]);
  });

  it('adopts the article a create made when its answer was lost, and makes no second one', async () => {
    const id = await save(fixture, admin, 'Lost answer\n\nForem made it; we never heard.');
    const before = creates(fixture).length;
    fixture.forem.dropNextAnswer();
    const job = await publish(fixture, admin, id);
    // The first attempt fails on the cut connection; the next, after the queue's backoff, adopts.
    const out = await fixture.bed.popText({ userId: ADMIN, timeoutMs: 25_000 });
    const made = titled(fixture, 'Lost answer');
    expect(made).toHaveLength(1);
    expect(out).toBe(`${job} is out: ${urlOf(fixture, made[0] as ForemArticle)}`);
    expect(creates(fixture).length - before).toBe(1);
    expect(await attempts(fixture, job)).toBe('2/10');
  }, 30_000);
});

describe.each(DATABASE_KINDS)('publishing a filed document to DEV.to (%s)', (kind) => {
  const fixture = usePublishingBed(kind, { posters: [POSTER.id] }, {}, { filing: true });

  it('publishes a document filed in a folder the poster may view', async () => {
    const id = await save(fixture, admin, 'Gearbox design\n\n## Goals\n\nQuiet, small, cheap.');
    expect(await ask(fixture, admin, `/file company/engineering ${id}`)).toBe(
      `Filed “Gearbox design” in company/engineering. /get ${id}`,
    );
    expect(await ask(fixture, POSTER, `/publish ${id}`)).toBe(`There is no content item ${id} that you may see.`);
    await ask(fixture, admin, `/role company/engineering ${POSTER.id} viewer`);
    const job = await publish(fixture, POSTER, `${id} #hardware`);
    expect(await fixture.bed.popText({ userId: POSTER.id })).toMatch(new RegExp(`^${job} is out: `));
    expect(titled(fixture, 'Gearbox design')).toMatchObject([
      { body_markdown: 'Gearbox design\n\n## Goals\n\nQuiet, small, cheap.', tags: ['hardware'], published: true },
    ]);
  });
});
