// A flaky or hostile Mastodon never double-posts, loses a post or blocks the bot, on both databases
// against a fake instance over real HTTP: a thread whose second answer is lost goes on where it
// stopped (the instance answering the repeated Idempotency-Key with the status it made); a 429 waits
// as long as the instance said; a hanging instance is given up on and tried again while the bot
// answers others; a revoked token fails the post with the instance's words and alerts the admins
// once, and the next post fails without asking; an image over the instance's limit is refused.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { png } from '../../support/images.js';
import { ADMIN, usePublishingBed } from '../../support/publishing-bed.js';

const admin = { id: ADMIN, first_name: 'Admin' };
const STATUSES = '/api/v1/statuses';

describe.each(DATABASE_KINDS)('Mastodon faults (%s)', (kind) => {
  const fixture = usePublishingBed(kind, { retrySeconds: 1 });
  const statusesWith = (word: string) =>
    [...fixture.mastodon.statuses.values()].filter((status) => status.text.includes(word));
  const posts = () => fixture.mastodon.requests.filter((r) => r.method === 'POST' && r.path === STATUSES);

  it('splits a long text into a numbered thread, and resumes it after a lost answer without posting twice', async () => {
    const { bed, mastodon } = fixture;
    mastodon.maxCharacters = 120;
    const sentence = (n: number) => `Sentence number ${n} of the thread on flaky networks, written out in full.`;
    const text = [1, 2, 3, 4, 5].map(sentence).join(' ');
    mastodon.dropAnswer(STATUSES, 1);
    const before = posts().length;
    bed.push(`/post ${text}`, admin);
    const id = /Queued as (\S+);/.exec(await bed.popText({ userId: ADMIN }))?.[1];
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 15_000 })).toMatch(new RegExp(`^${id} is out: `));
    const thread = statusesWith('flaky networks');
    const numbers = thread.map((status) => /\((\d)\/(\d)\)$/.exec(status.text)?.slice(1).join('/'));
    expect(numbers).toEqual(thread.map((_, index) => `${index + 1}/${thread.length}`));
    expect(thread.length).toBeGreaterThanOrEqual(3);
    expect(thread.slice(1).map((status) => status.in_reply_to_id)).toEqual(
      thread.slice(0, -1).map((status) => status.id),
    );
    for (const status of thread) expect([...status.text].length).toBeLessThanOrEqual(120);
    expect(thread.map((status) => status.text.replace(/ \(\d\/\d\)$/, '')).join(' ')).toBe(text);
    // The lost answer's request was sent again with the same key, and the instance made nothing new.
    const keys = posts()
      .slice(before)
      .map((request) => request.headers['idempotency-key']);
    const expected = thread.map((_, part) => `${id}-${part}`);
    expected.splice(1, 0, `${id}-1`);
    expect(keys).toEqual(expected);
    mastodon.maxCharacters = 500;
  });

  it('waits as long as a 429 says, then posts once', async () => {
    const { bed, mastodon } = fixture;
    mastodon.rateLimit(1, { retryAfter: '1' });
    bed.push('/post Rate limits are part of the deal.', admin);
    const id = /Queued as (\S+);/.exec(await bed.popText({ userId: ADMIN }))?.[1] ?? '';
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 10_000 })).toMatch(/ is out: /);
    expect(statusesWith('Rate limits are part')).toHaveLength(1);
    // The refused request and the one that went through, with the same key.
    expect(posts().filter((request) => request.headers['idempotency-key'] === `${id}-0`)).toHaveLength(2);
  });

  it('gives up on a hanging instance and tries again, while the bot goes on answering', async () => {
    const { bed, mastodon } = fixture;
    mastodon.fail(1, 'hang');
    bed.push('/post Patience is a virtue.', admin);
    await bed.popText({ userId: ADMIN });
    bed.push('/queue', admin);
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 1500 })).toMatch(/^The publishing queue:/);
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 15_000 })).toMatch(/ is out: /);
    expect(statusesWith('Patience is a virtue')).toHaveLength(1);
  });

  it('fails posts through a revoked token with its words, alerting the admins once', async () => {
    const { bed, mastodon } = fixture;
    mastodon.revoke();
    const before = posts().length;
    bed.push('/post First after the revocation.', admin);
    await bed.popText({ userId: ADMIN });
    const told = [await bed.popText({ userId: ADMIN, timeoutMs: 10_000 }), await bed.popText({ userId: ADMIN })];
    expect(told.join('\n')).toMatch(/failed for good: .*The access token was revoked/);
    expect(told.join('\n')).toMatch(/Plugin publishing: .*refused the token/);
    bed.push('/post Second after the revocation.', admin);
    await bed.popText({ userId: ADMIN });
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 10_000 })).toMatch(/failed for good: .*replace the token/);
    // No second alert, and the second post never reached the instance.
    await expect(bed.popText({ userId: ADMIN, timeoutMs: 1000 })).rejects.toThrow(/nothing from the bot/);
    expect(posts().length - before).toBe(1);
  });
});

describe.each(DATABASE_KINDS)('an instance with a small image limit (%s)', (kind) => {
  const fixture = usePublishingBed(kind);
  fixture.mastodon.imageSizeLimit = 64;

  it('refuses an image over the instance limit with the reason, before uploading it', async () => {
    const { bed, mastodon } = fixture;
    const uploads = () => mastodon.requests.filter((request) => request.path === '/api/v2/media').length;
    const before = uploads();
    const photo = bed.pushPhoto(png(200, 200), { user: admin, caption: 'Too big for this instance' });
    bed.push('/post', admin, { replyTo: photo.message_id });
    await bed.popText({ userId: ADMIN });
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 10_000 })).toMatch(
      /failed for good: the image is larger than the instance takes \(0\.1 KiB\)/,
    );
    expect(uploads()).toBe(before);
  });
});
