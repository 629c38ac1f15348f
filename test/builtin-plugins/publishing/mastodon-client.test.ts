// The Mastodon client against a fake instance over real HTTP: limits, statuses posted once per
// Idempotency-Key, media waited for, engagement and replies, and every failure sorted into its kind.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PublishFailure } from '../../../src/builtin-plugins/publishing/failure.js';
import { type MastodonClientOptions, mastodonClient } from '../../../src/builtin-plugins/publishing/mastodon/client.js';
import { FAKE_MASTODON_TOKEN, FakeMastodon } from '../../support/fake-mastodon.js';

let fake: FakeMastodon;
beforeEach(async () => {
  fake = await new FakeMastodon().start();
});
afterEach(() => fake.stop());

const client = (options: MastodonClientOptions = {}) =>
  mastodonClient({ url: fake.url, token: FAKE_MASTODON_TOKEN }, { mediaPollMs: 5, ...options });

async function failure(work: Promise<unknown>): Promise<PublishFailure> {
  const error = await work.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PublishFailure);
  expect((error as PublishFailure).message).not.toContain(FAKE_MASTODON_TOKEN);
  return error as PublishFailure;
}

const requestsTo = (method: string, path: RegExp) =>
  fake.requests.filter((request) => request.method === method && path.test(request.path));

const png = (bytes: number) => ({ bytes: Buffer.alloc(bytes, 1), mimeType: 'image/png', fileName: 'chart.png' });

describe('the Mastodon client', () => {
  it('reads the limits from the instance once, and from /api/v1/instance where v2 is missing', async () => {
    fake.maxCharacters = 1000;
    const mastodon = client();
    const limits = await mastodon.limits();
    expect(limits).toMatchObject({ maxCharacters: 1000, charactersReservedPerUrl: 23, maxMediaAttachments: 4 });
    expect(limits).toMatchObject({ imageSizeLimit: 16_777_216, maxPollOptions: 4, maxPollOptionCharacters: 50 });
    expect(limits.supportedMimeTypes).toContain('image/webp');
    await mastodon.limits();
    expect(requestsTo('GET', /^\/api\/v2\/instance$/)).toHaveLength(1);

    fake.v2Instance = false;
    fake.maxCharacters = 5000;
    expect(await client().limits()).toMatchObject({
      maxCharacters: 5000,
      charactersReservedPerUrl: 23,
      minPollExpiration: 300,
    });
  });

  it('tells whose the token is', async () => {
    expect(await client().verify()).toEqual({ id: '1', acct: 'omni', url: `${fake.url}/@omni` });
  });

  it('posts a status with its visibility, content warning, language and poll, and the Idempotency-Key', async () => {
    const posted = await client().createStatus(
      {
        text: 'Which one?',
        visibility: 'unlisted',
        spoilerText: 'poll inside',
        language: 'en',
        poll: { options: ['this', 'that'], expiresInSeconds: 3600, multiple: true },
      },
      'post-17-part-1',
    );
    const stored = fake.statuses.get(posted.id);
    expect(stored).toMatchObject({
      text: 'Which one?',
      visibility: 'unlisted',
      spoiler_text: 'poll inside',
      language: 'en',
    });
    expect(stored?.poll).toEqual({ options: ['this', 'that'], expires_in: 3600, multiple: true });
    expect(posted.url).toBe(`${fake.url}/@omni/${posted.id}`);
    const [request] = requestsTo('POST', /^\/api\/v1\/statuses$/);
    expect(request?.headers['idempotency-key']).toBe('post-17-part-1');
    expect(request?.headers.authorization).toBe(`Bearer ${FAKE_MASTODON_TOKEN}`);
  });

  it('posts once however often it is retried with the same Idempotency-Key', async () => {
    const mastodon = client();
    const reply = { text: 'part 2', visibility: 'public' as const, inReplyToId: '42', mediaIds: ['7'] };
    const first = await mastodon.createStatus(reply, 'post-18-part-2');
    const again = await mastodon.createStatus(reply, 'post-18-part-2');
    expect(again.id).toBe(first.id);
    expect(fake.statuses.size).toBe(1);
    expect(requestsTo('POST', /^\/api\/v1\/statuses$/)).toHaveLength(2);
    expect(fake.statuses.get(first.id)).toMatchObject({ in_reply_to_id: '42', media_ids: ['7'] });
    expect((await mastodon.createStatus(reply, 'post-18-part-3')).id).not.toBe(first.id);
  });

  it('uploads an image with its alt text and waits until the instance has processed it', async () => {
    fake.mediaPolls = 2;
    const id = await client().uploadMedia({ ...png(2048), description: 'A rising line' });
    const [upload] = requestsTo('POST', /^\/api\/v2\/media$/);
    expect(upload?.body).toMatchObject({
      description: 'A rising line',
      file: { name: 'chart.png', type: 'image/png', size: 2048 },
    });
    expect(requestsTo('GET', new RegExp(`^/api/v1/media/${id}$`))).toHaveLength(3);
  });

  it('gives up on an image the instance is still processing after the media timeout', async () => {
    fake.mediaPolls = 1_000_000;
    const failed = await failure(client({ mediaTimeoutMs: 50 }).uploadMedia(png(10)));
    expect(failed.kind).toBe('unavailable');
  });

  it('stops waiting for an image being processed at its caller abort', async () => {
    fake.mediaPolls = 1_000_000;
    const controller = new AbortController();
    const uploading = client().uploadMedia(png(10), controller.signal);
    await vi.waitFor(() => expect(requestsTo('GET', /^\/api\/v1\/media\//).length).toBeGreaterThan(0));
    controller.abort(new Error('shutting down'));
    await expect(uploading).rejects.toThrow('shutting down');
  });

  it('refuses an image too large or of a type the instance does not take, before uploading anything', async () => {
    const mastodon = client();
    const large = await failure(mastodon.uploadMedia(png(16 * 1024 * 1024 + 1)));
    expect(large.kind).toBe('refused');
    expect(large.message).toContain('takes images up to 16.0 MB');
    const tiff = await failure(mastodon.uploadMedia({ ...png(10), mimeType: 'image/tiff', fileName: 'scan.tiff' }));
    expect(tiff.kind).toBe('refused');
    expect(tiff.message).toContain('does not take image/tiff files (scan.tiff)');
    expect(requestsTo('POST', /^\/api\/v2\/media$/)).toHaveLength(0);
  });

  it('fails as auth on a revoked or unknown token, in the instance words and without the token', async () => {
    const unknown = await failure(
      mastodonClient({ url: fake.url, token: 'wrong-token' }).createStatus({ text: 'x', visibility: 'public' }, 'k'),
    );
    expect(unknown).toMatchObject({ kind: 'auth', message: 'The access token is invalid' });
    fake.revoke();
    const revoked = await failure(client().verify());
    expect(revoked).toMatchObject({ kind: 'auth', message: 'The access token was revoked', options: { status: 401 } });
  });

  it('fails as rate-limited for as long as Retry-After says, or else until X-RateLimit-Reset', async () => {
    fake.rateLimit(1, { retryAfter: '30' });
    expect(await failure(client().verify())).toMatchObject({
      kind: 'rate-limited',
      options: { status: 429, retryAfterMs: 30_000 },
    });

    fake.rateLimit(1, { retryAfter: new Date(Date.now() + 90_000).toUTCString() });
    const byDate = (await failure(client().verify())).options.retryAfterMs ?? 0;
    expect(byDate).toBeGreaterThan(60_000);
    expect(byDate).toBeLessThanOrEqual(90_000);

    fake.rateLimit(1, { resetInSeconds: 120 });
    const byReset = await failure(client().verify());
    expect(byReset.message).toBe('Too many requests');
    expect(byReset.options.retryAfterMs).toBeGreaterThan(90_000);
    expect(byReset.options.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('fails as unavailable on a 503 (with its Retry-After), a proxy page, a silent server or no server', async () => {
    fake.fail(1, 'json', '120');
    expect(await failure(client().verify())).toMatchObject({
      kind: 'unavailable',
      options: { status: 503, retryAfterMs: 120_000 },
    });
    fake.fail(1, 'html');
    expect((await failure(client().verify())).kind).toBe('unavailable');
    fake.fail(1, 'hang');
    expect((await failure(client({ timeoutMs: 200 }).verify())).kind).toBe('unavailable');
    // Port 1: nothing listens there, and no other test can take it as it could a port just freed.
    const nowhere = mastodonClient({ url: 'http://127.0.0.1:1', token: FAKE_MASTODON_TOKEN });
    expect((await failure(nowhere.verify())).kind).toBe('unavailable');
  });

  it('stops at its caller abort, which it hands back as it was', async () => {
    fake.fail(1, 'hang');
    const controller = new AbortController();
    const verifying = client().verify(controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(verifying).rejects.toThrow('shutting down');
  });

  it('fails as refused, in the instance words, on a status it will not take', async () => {
    const refused = await failure(client().createStatus({ text: 'x'.repeat(501), visibility: 'public' }, 'k1'));
    expect(refused).toMatchObject({
      kind: 'refused',
      message: 'Validation failed: Text character limit of 500 exceeded',
      options: { status: 422 },
    });
  });

  it('deletes a status, and counts one already gone as deleted', async () => {
    const mastodon = client();
    const { id } = await mastodon.createStatus({ text: 'soon gone', visibility: 'public' }, 'k2');
    await mastodon.deleteStatus(id);
    expect(fake.statuses.has(id)).toBe(false);
    await mastodon.deleteStatus(id);
    expect(requestsTo('DELETE', new RegExp(`^/api/v1/statuses/${id}$`))).toHaveLength(2);
  });

  it('reads the favourites, boosts and replies of a status', async () => {
    const mastodon = client();
    const { id } = await mastodon.createStatus({ text: 'counted', visibility: 'public' }, 'k3');
    Object.assign(fake.statuses.get(id) ?? {}, { favourites_count: 5, reblogs_count: 2, replies_count: 3 });
    expect(await mastodon.engagement(id)).toEqual({ id, favourites: 5, boosts: 2, replies: 3 });
  });

  it('lists the direct replies by others, oldest first, as plain text', async () => {
    const mastodon = client();
    const { id } = await mastodon.createStatus({ text: 'thread start', visibility: 'public' }, 'k4');
    const later = fake.reply(id, {
      acct: 'ana@example.org',
      text: 'Nice & <b>bold</b>\n"quoted"\n\nSee you 🙂',
      createdAt: '2026-11-30T10:05:00.000Z',
    });
    const earlier = fake.reply(id, { acct: 'bob', text: "it's here", createdAt: '2026-11-30T10:01:00.000Z' });
    fake.reply(id, { acct: 'omni', text: 'my own part 2', createdAt: '2026-11-30T10:00:00.000Z', own: true });
    fake.reply(id, {
      acct: 'cy@example.net',
      text: 'reply to a reply',
      createdAt: '2026-11-30T10:06:00.000Z',
      inReplyTo: later,
    });
    const replies = await mastodon.replies(id);
    expect(replies.map((reply) => [reply.id, reply.account, reply.text])).toEqual([
      [earlier, `bob@${new URL(fake.url).host}`, "it's here"],
      [later, 'ana@example.org', 'Nice & <b>bold</b>\n"quoted"\n\nSee you 🙂'],
    ]);
    expect(replies[0]).toMatchObject({ url: `${fake.url}/@bob/${earlier}`, createdAt: '2026-11-30T10:01:00.000Z' });
  });
});
