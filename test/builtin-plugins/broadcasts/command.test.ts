// /broadcast over the webhook path against the fake Bot API: refused for users who are not bot
// admins, a bad segment answered with the forms that work, a text sent to the segment it names
// (language:de here), and a photo answered with /broadcast sent with its caption.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type BroadcastBed, startBroadcastBed } from '../../support/broadcast-bed.js';
import { freshUpdateId, textUpdate } from '../../support/updates.js';

const FIRST_USER = 70_000;
const USERS = 12;

/** An admin's /broadcast answering a photo message with a caption. */
function replyToPhoto(text: string, caption: string) {
  const admin = { id: ADMIN, is_bot: false, first_name: 'Admin' };
  const chat = { id: ADMIN, type: 'private', first_name: 'Admin' };
  const date = Math.floor(Date.now() / 1000);
  return {
    update_id: freshUpdateId(),
    message: {
      message_id: 900,
      from: admin,
      chat,
      date,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: '/broadcast'.length }],
      reply_to_message: {
        message_id: 899,
        from: admin,
        chat,
        date,
        photo: [
          { file_id: 'AgACAgSmallPhotoId', file_unique_id: 's1', width: 90, height: 60 },
          { file_id: 'AgACAgLargePhotoId', file_unique_id: 'l1', width: 1280, height: 853 },
        ],
        caption,
      },
    },
  };
}

describe('/broadcast', () => {
  let bed: BroadcastBed;
  const reply = async (update: Record<string, unknown>, chatId: number) => {
    const before = bed.fake.sentTexts(chatId).length;
    await bed.platform.postUpdate(update);
    await bed.fake.waitFor(() => bed.fake.sentTexts(chatId).length > before);
    return bed.fake.sentTexts(chatId).at(-1) as string;
  };

  beforeAll(async () => {
    bed = await startBroadcastBed({ redis: false, ratePerSecond: 50, capPerSecond: 60, blocked: new Set() });
    await bed.seed(FIRST_USER, USERS);
  }, 60_000);
  afterAll(async () => {
    await bed?.close();
  });

  it('is refused to a user who is not a bot admin, and nothing is sent', async () => {
    const answer = await reply(textUpdate('/broadcast all Hello everyone', { userId: FIRST_USER }), FIRST_USER);
    expect(answer).toBe('That command is for the bot admins.');
    expect(bed.fake.sentTexts().filter((text) => text === 'Hello everyone')).toEqual([]);
  });

  it('answers a bad segment with the forms that work', async () => {
    const answer = await reply(textUpdate('/broadcast everyone Hello', { userId: ADMIN }), ADMIN);
    expect(answer).toBe(
      'That segment does not work: not an audience segment: "everyone" is not a segment: write `all`, `language:<xx>`, `active:<1-365 days>`, `segment:<new|active|dormant|churned>` or `entitlement:<key>`',
    );
  });

  it('sends a text to the segment it names', async () => {
    const answer = await reply(textUpdate('/broadcast language:de <b>Hallo</b> zusammen', { userId: ADMIN }), ADMIN);
    // Seeded users take en, de, es, ru in turn: a quarter speak German.
    const german = Array.from({ length: USERS }, (_, i) => FIRST_USER + i).filter((_, i) => i % 4 === 1);
    const id = /Broadcast ([a-z0-9]+) is going out to 3 users \(0 who blocked the bot left out\)/.exec(answer)?.[1];
    expect(id, answer).toBeDefined();
    await bed.until(id as string, (b) => b.status === 'done', 10_000);
    const reached = bed.fake
      .callsOf('sendMessage')
      .filter((call) => call.params.text === '<b>Hallo</b> zusammen')
      .map((call) => Number(call.params.chat_id));
    expect(reached.sort()).toEqual(german);
  });

  it('sends a photo it answers, with its caption', async () => {
    const answer = await reply(replyToPhoto('/broadcast active:30', 'New <menu> today'), ADMIN);
    // Active: those with a usage event, the admin and the user refused above; the other seeded users never wrote.
    const id = /Broadcast ([a-z0-9]+) is going out to 2 users/.exec(answer)?.[1];
    expect(id, answer).toBeDefined();
    await bed.until(id as string, (b) => b.status === 'done', 10_000);
    const photos = bed.fake.callsOf('sendPhoto');
    const sent = { photo: 'AgACAgLargePhotoId', caption: 'New &lt;menu&gt; today', parse_mode: 'HTML' };
    // Several messages are on their way at once: they may arrive in any order.
    const byChat = photos.map((call) => call.params).sort((a, b) => Number(a.chat_id) - Number(b.chat_id));
    expect(byChat).toEqual([
      expect.objectContaining({ chat_id: ADMIN, ...sent }),
      expect.objectContaining({ chat_id: FIRST_USER, ...sent }),
    ]);
  });
});
