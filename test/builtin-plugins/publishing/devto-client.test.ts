// The DEV.to client against a fake Forem over real HTTP: articles written, published and taken back,
// the key and version headers, tags as DEV.to takes them, my articles page by page, and each failure
// told in the terms the publishing queue acts on, without the key.
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../src/builtin-plugins/publishing/devto/article-fields.js';
import { devtoClient } from '../../../src/builtin-plugins/publishing/devto/client.js';
import type { ArticleDraft } from '../../../src/builtin-plugins/publishing/devto/types.js';
import { PublishFailure } from '../../../src/builtin-plugins/publishing/failure.js';
import { retryAfterMs } from '../../../src/builtin-plugins/publishing/retry-after.js';
import { DEVTO_TEST_KEY, FakeForem } from '../../support/fake-forem.js';
import { closeServer, listenLocally } from '../../support/local-server.js';

const draft: ArticleDraft = {
  title: 'Queues that survive a restart',
  bodyMarkdown: '# Queues\n\nThey survive.',
  published: false,
};

async function failureOf(work: Promise<unknown>): Promise<PublishFailure> {
  const error = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(PublishFailure);
  return error as PublishFailure;
}

describe('DEV.to client', () => {
  let forem: FakeForem;
  const client = (options: Parameters<typeof devtoClient>[1] = {}, apiKey = DEVTO_TEST_KEY) =>
    devtoClient({ apiRoot: forem.url, apiKey }, options);

  beforeEach(async () => {
    forem = await new FakeForem().start();
  });
  afterEach(() => forem.stop());

  it('creates a draft, then publishes it', async () => {
    const created = await client().create(draft);
    expect(created).toMatchObject({ title: draft.title, published: false, publishedAt: null, pageViews: 0 });
    expect(created.url).toMatch(/^https:\/\/dev\.to\/omnicore\//);
    expect(forem.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/articles',
      body: { article: { title: draft.title, body_markdown: draft.bodyMarkdown, published: false } },
    });

    const published = await client().update(created.id, { published: true });
    expect(published).toMatchObject({ id: created.id, published: true, publishedAt: expect.any(String) });
    expect(forem.articles.get(created.id)?.published).toBe(true);
  });

  it('sends only the fields an update changes, in Forem’s names', async () => {
    const { id } = forem.add({ title: 'Old title', body_markdown: 'old', published: true });
    const updated = await client().update(id, {
      title: 'New title',
      canonicalUrl: 'https://example.org/queues',
      mainImage: 'https://example.org/cover.png',
      series: 'Reliable bots',
      description: 'How queues survive',
    });
    expect(updated).toMatchObject({ id, title: 'New title', published: true });
    expect(forem.requests[0]).toMatchObject({ method: 'PUT', path: `/api/articles/${id}` });
    expect(forem.requests[0]?.body).toEqual({
      article: {
        title: 'New title',
        canonical_url: 'https://example.org/queues',
        main_image: 'https://example.org/cover.png',
        series: 'Reliable bots',
        description: 'How queues survive',
      },
    });
    expect(forem.articles.get(id)?.body_markdown).toBe('old');
  });

  it('unpublishes: a PUT with published false, and the article is a draft again', async () => {
    const { id } = forem.add({ title: 'Live', published: true });
    const article = await client().unpublish(id);
    expect(forem.requests[0]).toMatchObject({ method: 'PUT', body: { article: { published: false } } });
    // Forem keeps the old published_at; the draft is told by the public view's empty published_timestamp.
    expect(article.published).toBe(false);
    expect(forem.articles.get(id)?.published).toBe(false);
  });

  it('carries the api-key and the Forem v1 accept header on every request', async () => {
    await client().me();
    await client().create(draft);
    expect(forem.requests).toHaveLength(2);
    for (const request of forem.requests) {
      expect(request.headers['api-key']).toBe(DEVTO_TEST_KEY);
      expect(request.headers.accept).toBe('application/vnd.forem.api-v1+json');
    }
    expect(forem.requests[1]?.headers['content-type']).toBe('application/json');
  });

  it('tells whose key it is', async () => {
    expect(await client().me()).toEqual({ id: 4242, username: 'omnicore' });
  });

  it('normalises tags to lower-case letters and digits, once each', async () => {
    await client().create({ ...draft, tags: ['#TypeScript', 'Web-Dev', 'node.js', 'typescript'] });
    expect(forem.requests[0]?.body).toMatchObject({ article: { tags: ['typescript', 'webdev', 'nodejs'] } });
  });

  it('refuses five tags, or a tag with nothing left, before sending anything', async () => {
    const five = await failureOf(client().create({ ...draft, tags: ['a', 'b', 'c', 'd', 'e'] }));
    expect(five.kind).toBe('refused');
    expect(five.message).toContain('at most 4 tags');
    const empty = await failureOf(client().update(1, { tags: ['ok', '#!?'] }));
    expect(empty).toMatchObject({ kind: 'refused', message: expect.stringContaining('"#!?"') });
    expect(forem.requests).toHaveLength(0);
  });

  it('refuses a body over Forem’s 800 KB before sending it', async () => {
    const failure = await failureOf(client().create({ ...draft, bodyMarkdown: 'é'.repeat(MAX_BODY_BYTES / 2 + 1) }));
    expect(failure.kind).toBe('refused');
    expect(forem.requests).toHaveLength(0);
    await client().create({ ...draft, bodyMarkdown: 'x'.repeat(MAX_BODY_BYTES) });
    expect(forem.requests).toHaveLength(1);
  });

  it('lists my articles across pages, newest first, with their reach, up to max', async () => {
    for (let i = 1; i <= 7; i += 1) {
      forem.add({
        title: `Post ${i}`,
        published: true,
        published_at: `2026-11-0${i}T10:00:00Z`,
        page_views_count: i * 100,
        public_reactions_count: i,
        comments_count: i % 3,
      });
    }
    const draftPost = forem.add({ title: 'Unfinished' });

    const all = await client({ pageSize: 3 }).mine();
    expect(all.map((article) => article.title)).toEqual([
      'Unfinished',
      ...[7, 6, 5, 4, 3, 2, 1].map((i) => `Post ${i}`),
    ]);
    expect(all[1]).toMatchObject({ published: true, pageViews: 700, reactions: 7, comments: 1 });
    expect(all[0]).toMatchObject({ id: draftPost.id, published: false, publishedAt: null });
    expect(forem.requests.map((request) => request.path)).toEqual([
      '/api/articles/me/all?page=1&per_page=3',
      '/api/articles/me/all?page=2&per_page=3',
      '/api/articles/me/all?page=3&per_page=3',
    ]);

    forem.requests.length = 0;
    const first = await client({ pageSize: 3 }).mine({ max: 4 });
    expect(first).toHaveLength(4);
    expect(forem.requests).toHaveLength(2);
  });

  it('stops at a short page, and asks 100 a page by default', async () => {
    forem.add({ title: 'Only one' });
    expect(await client().mine()).toHaveLength(1);
    expect(forem.requests.map((request) => request.path)).toEqual(['/api/articles/me/all?page=1&per_page=100']);
  });

  it('takes a 401 as a refused key, without the key in the message', async () => {
    const wrongKey = 'devto-wrong-key-9876543210';
    const failure = await failureOf(client({}, wrongKey).create(draft));
    expect(failure).toMatchObject({ kind: 'auth', message: 'unauthorized', options: { status: 401 } });
    expect(`${failure.message} ${failure.stack}`).not.toContain(wrongKey);
  });

  it('keeps the key out of the message even when the service echoes it', async () => {
    forem.answerNext(403, JSON.stringify({ error: `key ${DEVTO_TEST_KEY} is suspended`, status: 403 }));
    const failure = await failureOf(client().me());
    expect(failure.kind).toBe('auth');
    expect(failure.message).toBe('key [api key] is suspended');
  });

  it('takes a 429 as a rate limit, waiting as long as Retry-After says', async () => {
    forem.rateLimitNext(1, '7');
    const failure = await failureOf(client().create(draft));
    expect(failure).toMatchObject({ kind: 'rate-limited', options: { status: 429, retryAfterMs: 7000 } });
    forem.rateLimitNext(1, null);
    expect((await failureOf(client().mine())).options.retryAfterMs).toBe(30_000);
  });

  it('reads Retry-After as seconds or as an HTTP date, and nothing from anything else', () => {
    const now = Date.parse('2026-11-30T06:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 06:01:30 GMT', now)).toBe(90_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 05:59:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('takes a 500 or a 503 as unavailable', async () => {
    forem.failNext(1, 500);
    expect(await failureOf(client().create(draft))).toMatchObject({
      kind: 'unavailable',
      message: 'Internal Server Error',
      options: { status: 500 },
    });
    forem.failNext(1, 503);
    expect(await failureOf(client().mine())).toMatchObject({
      kind: 'unavailable',
      message: expect.stringContaining('503'),
    });
  });

  it('takes a server that never answers as unavailable once the timeout passes', async () => {
    forem.failNext(1, 'hang');
    const failure = await failureOf(client({ timeoutMs: 200 }).create(draft));
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toBe('DEV.to did not answer create article within 200 ms');
  });

  it('gives up when the caller cancels, as unavailable', async () => {
    forem.failNext(1, 'hang');
    const cancel = new AbortController();
    const pending = failureOf(client().me(cancel.signal));
    cancel.abort();
    expect(await pending).toMatchObject({ kind: 'unavailable', message: expect.stringContaining('cancelled') });
  });

  it('takes a server that cannot be reached as unavailable', async () => {
    const gone = createServer();
    const url = await listenLocally(gone);
    await closeServer(gone);
    const failure = await failureOf(devtoClient({ apiRoot: url, apiKey: DEVTO_TEST_KEY }).me());
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toMatch(/could not be reached.*ECONNREFUSED/);
  });

  it('follows no redirect, so the key goes nowhere else', async () => {
    const elsewhere = await new FakeForem().start();
    try {
      forem.answerNext(301, '', { location: `${elsewhere.url}/api/users/me` });
      const failure = await failureOf(client().me());
      expect(failure).toMatchObject({ kind: 'unavailable', options: { status: 301 } });
      expect(failure.message).toContain(`redirected the user lookup (301 to ${elsewhere.url}/api/users/me)`);
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.stop();
    }
  });

  it('takes a 422 as refused, in Forem’s words', async () => {
    const failure = await failureOf(client().create({ ...draft, title: ' ' }));
    expect(failure).toMatchObject({ kind: 'refused', message: "Title can't be blank", options: { status: 422 } });
    const missing = await failureOf(client().update(999_999, { title: 'Nothing here' }));
    expect(missing).toMatchObject({ kind: 'refused', message: 'not found', options: { status: 404 } });
  });

  it('takes a 200 that is not what Forem sends as unavailable, saying what was wrong', async () => {
    forem.answerNext(200, JSON.stringify({ id: 'seven', title: 'x' }));
    const failure = await failureOf(client().create(draft));
    expect(failure.kind).toBe('unavailable');
    expect(failure.message).toMatch(/^DEV\.to's answer to create article is not what Forem sends \(id: /);
    forem.answerNext(200, '<html>maintenance</html>');
    expect((await failureOf(client().mine())).message).toBe(
      'DEV.to answered my articles page 1 with a body that is not JSON',
    );
  });
});
