// Channel mirroring on both databases, against a fake Mastodon instance over real HTTP: a channel's
// post becomes a status as its rule says (visibility, language), once however often Telegram delivers
// it; the rule's hashtag, replies, links and a photo's Alt: line; an edit of the post edits the status.
import type { Chat, Update } from 'grammy/types';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../../support/databases.js';
import type { FakeMastodon } from '../../support/fake-mastodon.js';
import { png } from '../../support/images.js';
import { usePublishingBed } from '../../support/publishing-bed.js';

/** The statuses the instance holds with exactly this text. */
const statusesWith = (mastodon: FakeMastodon, text: string) =>
  [...mastodon.statuses.values()].filter((status) => status.text === text);

describe.each(DATABASE_KINDS)('mirroring a Telegram channel to Mastodon (%s)', (kind) => {
  const fixture = usePublishingBed(kind);
  let news: Chat.ChannelChat;
  let tagged: Chat.ChannelChat;
  let plain: Chat.ChannelChat;

  beforeAll(async () => {
    const { bed } = fixture;
    news = bed.createChannel({ title: 'News' });
    tagged = bed.createChannel({ title: 'Tagged' });
    plain = bed.createChannel({ title: 'Plain' });
    // The configuration is replaced as a whole: the bed's own setting is given again.
    await bed.platform.plugins.configure('publishing', {
      timeoutSeconds: 2,
      mirrors: [
        { channel: news.id, accounts: ['env-mastodon'], visibility: 'unlisted', language: 'de' },
        { channel: tagged.id, accounts: ['env-mastodon'], hashtag: '#mastodon' },
        { channel: plain.id, accounts: ['env-mastodon'], keepLinks: false },
      ],
    });
  });

  /** Waits until the instance holds a status with this text, and returns it. */
  async function landed(text: string) {
    await expect.poll(() => statusesWith(fixture.mastodon, text).length, { timeout: 10_000 }).toBe(1);
    return statusesWith(fixture.mastodon, text)[0];
  }

  it('posts a text post as a status with the rule’s visibility and language', async () => {
    fixture.bed.post(news.id, 'The harbour festival opens on Saturday.');
    expect(await landed('The harbour festival opens on Saturday.')).toMatchObject({
      visibility: 'unlisted',
      language: 'de',
    });
  });

  it('posts a post once, however often Telegram delivers it', async () => {
    const { bed, mastodon } = fixture;
    const post = bed.post(news.id, 'Ferry times change next week.');
    await landed('Ferry times change next week.');
    bed.emulator.push({ channel_post: post as Update['channel_post'] });
    // A later post lands after the repeated delivery was handled: the channel's updates go in order.
    bed.post(news.id, 'Marker after the repeated delivery.');
    await landed('Marker after the repeated delivery.');
    await bed.idle();
    expect(statusesWith(mastodon, 'Ferry times change next week.')).toHaveLength(1);
  });

  it('leaves out a post without the rule’s hashtag and posts one with it', async () => {
    const { bed, mastodon } = fixture;
    bed.post(tagged.id, 'Staff lunch moved to Friday.');
    bed.post(tagged.id, 'Version 2 is out #Mastodon');
    await landed('Version 2 is out #Mastodon');
    await bed.idle();
    expect(statusesWith(mastodon, 'Staff lunch moved to Friday.')).toHaveLength(0);
  });

  it('leaves out a reply within the channel', async () => {
    const { bed, mastodon } = fixture;
    const original = bed.post(news.id, 'Who is coming to the festival?');
    await landed('Who is coming to the festival?');
    bed.emulator.chats.post(news.id, {
      text: 'Everyone from the office.',
      reply_to_message: { ...original, reply_to_message: undefined },
    });
    bed.post(news.id, 'Marker after the reply.');
    await landed('Marker after the reply.');
    await bed.idle();
    expect(statusesWith(mastodon, 'Everyone from the office.')).toHaveLength(0);
  });

  it('posts a photo with its caption as the text and its Alt: line as the description', async () => {
    const { bed, mastodon } = fixture;
    bed.post(news.id, { photo: png(40, 30), caption: 'Spring at the office\nAlt: Cherry trees in bloom' });
    const status = await landed('Spring at the office');
    expect(status?.media_ids).toHaveLength(1);
    const upload = mastodon.requests.find(
      (request) => request.path === '/api/v2/media' && request.body?.description === 'Cherry trees in bloom',
    );
    expect(upload).toBeDefined();
  });

  it('edits the status when the post is edited', async () => {
    const { bed, mastodon } = fixture;
    const post = bed.post(news.id, 'The talk starts at 9.');
    const status = await landed('The talk starts at 9.');
    bed.editPost(news.id, post.message_id, 'The talk starts at 10.');
    await expect
      .poll(() => mastodon.statuses.get(status?.id ?? '')?.text, { timeout: 10_000 })
      .toBe('The talk starts at 10.');
    expect(mastodon.statuses.get(status?.id ?? '')?.edits).toBe(1);
    expect(statusesWith(mastodon, 'The talk starts at 10.')).toHaveLength(1);
  });

  it('keeps a linked word’s address as "word (URL)"', async () => {
    const text = 'Read the notes before Monday.';
    fixture.bed.emulator.chats.post(news.id, {
      text,
      entities: [{ type: 'text_link', offset: 9, length: 5, url: 'https://example.org/notes' }],
    });
    await landed('Read the notes (https://example.org/notes) before Monday.');
  });

  it('drops a bare link when the rule does not keep links', async () => {
    fixture.bed.post(plain.id, 'Tickets are on sale https://example.org/tickets');
    await landed('Tickets are on sale');
  });
});
