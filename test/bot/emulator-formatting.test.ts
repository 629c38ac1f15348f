// parse_mode HTML through the emulator with grammY's real Api: tags become entities over the plain
// text (the length limit applies to that text), malformed HTML is refused as Telegram refuses it,
// captions are formatted alike, and Markdown is kept as sent.
import { InputFile } from 'grammy';
import type { User } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { telegramError, useEmulatorServer } from '../support/emulator-server.js';
import { png } from '../support/images.js';

const ADA: User = { id: 501, is_bot: false, first_name: 'Ada' };

const server = useEmulatorServer(ADA);

describe('parse_mode HTML', () => {
  it('turns tags into entities over the plain text, with UTF-16 offsets and decoded entities', async () => {
    const sent = await server.api.sendMessage(
      ADA.id,
      '<b>Sale</b> 🎉 &amp; <a href="https://shop.example/?a=1&amp;b=2">shop</a> <tg-spoiler>now</tg-spoiler>\n<pre><code class="language-js">x &lt; 1</code></pre>',
      { parse_mode: 'HTML' },
    );
    expect(sent.text).toBe('Sale 🎉 & shop now\nx < 1');
    expect(sent.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'text_link', offset: 10, length: 4, url: 'https://shop.example/?a=1&b=2' },
      { type: 'spoiler', offset: 15, length: 3 },
      { type: 'pre', offset: 19, length: 5, language: 'js' },
    ]);
  });

  it('counts the 4096 characters after the tags are taken out', async () => {
    const sent = await server.api.sendMessage(ADA.id, `<i>${'x'.repeat(4096)}</i>`, { parse_mode: 'HTML' });
    expect(sent.text).toHaveLength(4096);
    await expect(server.api.sendMessage(ADA.id, '<b></b>', { parse_mode: 'HTML' })).rejects.toMatchObject(
      telegramError(400, 'Bad Request: message text is empty'),
    );
  });

  it('refuses malformed HTML, saying where in bytes', async () => {
    const refusals: [string, string][] = [
      ['<b>bold', `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`],
      ['a </b>', `Bad Request: can't parse entities: Unexpected end tag at byte offset 2`],
      ['ok <blink>no</blink>', `Bad Request: can't parse entities: Unsupported start tag "blink" at byte offset 3`],
      [
        '<b><i>x</b></i>',
        `Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`,
      ],
    ];
    for (const [text, description] of refusals) {
      await expect(server.api.sendMessage(ADA.id, text, { parse_mode: 'HTML' })).rejects.toMatchObject(
        telegramError(400, description),
      );
    }
  });

  it('formats captions alike, and tells an edit of the formatting from no change at all', async () => {
    const photo = await server.api.sendPhoto(ADA.id, new InputFile(png(8, 8)), {
      caption: '<u>Menu</u> of the day',
      parse_mode: 'HTML',
    });
    expect(photo).toMatchObject({
      caption: 'Menu of the day',
      caption_entities: [{ type: 'underline', offset: 0, length: 4 }],
    });

    const sent = await server.api.sendMessage(ADA.id, 'Total: 5', { parse_mode: 'HTML' });
    const bolder = await server.api.editMessageText(ADA.id, sent.message_id, 'Total: <b>5</b>', { parse_mode: 'HTML' });
    expect(bolder).toMatchObject({ text: 'Total: 5', entities: [{ type: 'bold', offset: 7, length: 1 }] });
    await expect(
      server.api.editMessageText(ADA.id, sent.message_id, 'Total: <b>5</b>', { parse_mode: 'HTML' }),
    ).rejects.toMatchObject(telegramError(400, /message is not modified/));
  });

  it('keeps Markdown as sent, and refuses a parse mode Telegram does not have', async () => {
    expect((await server.api.sendMessage(ADA.id, '*bold*', { parse_mode: 'MarkdownV2' })).text).toBe('*bold*');
    const raw = server.api.raw as unknown as Record<string, (payload: object) => Promise<unknown>>;
    await expect(raw.sendMessage?.({ chat_id: ADA.id, text: 'x', parse_mode: 'BBCode' })).rejects.toMatchObject(
      telegramError(400, /can't parse parse_mode/),
    );
  });
});
