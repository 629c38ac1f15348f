// Inline mode through the emulator with grammY's real Api: a user's inline query reaches the bot,
// the bot's answer is checked as Telegram checks it, and the result the user picks is sent via the
// bot, followed by a chosen_inline_result; a result with a keyboard can be edited afterwards.
import { InlineKeyboard } from 'grammy';
import type { InlineQueryResult, User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorServer, startEmulatorServer, telegramError } from '../support/emulator-server.js';

const ADA: User = { id: 501, is_bot: false, first_name: 'Ada' };

let server: EmulatorServer;

beforeEach(async () => {
  server = await startEmulatorServer();
});

afterEach(async () => {
  await server.close();
});

function article(id: string, text: string, extra: object = {}): InlineQueryResult {
  return { type: 'article', id, title: `Title ${id}`, input_message_content: { message_text: text }, ...extra };
}

describe('inline mode', () => {
  it('hands the bot an inline_query, records its answer, and sends the chosen result via the bot', async () => {
    const queryId = server.emulator.inline.query(ADA, 'weather');
    const [update] = await server.takeUpdates();
    expect(update?.inline_query).toEqual({ id: queryId, from: ADA, query: 'weather', offset: '', chat_type: 'sender' });

    expect(
      await server.api.answerInlineQuery(queryId, [article('sun', 'Sunny, 24°'), article('rain', 'Rain later')], {
        next_offset: '2',
        cache_time: 0,
      }),
    ).toBe(true);
    const [answer] = await server.emulator.eventsAfter(ADA.id, 0, 0);
    expect(answer).toMatchObject({
      type: 'inline_answer',
      queryId,
      nextOffset: '2',
      results: [{ id: 'sun' }, { id: 'rain' }],
    });

    const sent = await server.emulator.inline.choose(ADA, queryId, 'rain');
    expect(sent).toMatchObject({
      text: 'Rain later',
      from: { id: ADA.id },
      via_bot: { id: server.emulator.botUser.id },
    });
    const [message, chosen] = await server.takeUpdates();
    expect(message?.message).toMatchObject({
      message_id: sent.message_id,
      via_bot: { username: 'omnicore_emulator_bot' },
    });
    expect(chosen?.chosen_inline_result).toEqual({ result_id: 'rain', from: ADA, query: 'weather' });
    // A query is answered once.
    await expect(server.api.answerInlineQuery(queryId, [])).rejects.toMatchObject(
      telegramError(400, /query ID is invalid/),
    );
  });

  it('refuses answers Telegram refuses, and keeps no part of them', async () => {
    const refusals: [InlineQueryResult[], string][] = [
      [Array.from({ length: 51 }, (_, i) => article(String(i), 'x')), 'Bad Request: RESULTS_TOO_MUCH'],
      [[article('same', 'a'), article('same', 'b')], 'Bad Request: RESULT_ID_DUPLICATE'],
      [[article('x'.repeat(65), 'a')], 'Bad Request: RESULT_ID_INVALID'],
      [[{ ...article('a', 'a'), title: '' }], 'Bad Request: ARTICLE_TITLE_EMPTY'],
      [[{ type: 'article', id: 'a', title: 'No content' } as unknown as InlineQueryResult], /input_message_content/],
      [[article('a', 'x'.repeat(4097))], 'Bad Request: message is too long'],
    ] as [InlineQueryResult[], string][];
    for (const [results, description] of refusals) {
      const queryId = server.emulator.inline.query(ADA, 'q');
      await expect(server.api.answerInlineQuery(queryId, results)).rejects.toMatchObject(
        telegramError(400, description),
      );
      // Refused, the query can still be answered.
      expect(await server.api.answerInlineQuery(queryId, [article('ok', 'fine')])).toBe(true);
    }
    await expect(server.api.answerInlineQuery('12345', [])).rejects.toMatchObject(
      telegramError(400, /query ID is invalid/),
    );
  });

  it('gives a chosen result with a keyboard an inline_message_id the bot edits it by', async () => {
    const queryId = server.emulator.inline.query(ADA, 'poll');
    await server.api.answerInlineQuery(queryId, [
      article('vote', 'Lunch at noon?', { reply_markup: new InlineKeyboard().text('Yes', 'vote:yes') }),
    ]);
    const sent = await server.emulator.inline.choose(ADA, queryId, 'vote');
    const updates = await server.takeUpdates();
    const inlineMessageId = updates.at(-1)?.chosen_inline_result?.inline_message_id as string;
    expect(inlineMessageId).toEqual(expect.any(String));

    // A press on its button comes with the inline_message_id instead of the message.
    server.emulator.messages.press(ADA, sent.message_id, 'vote:yes');
    const [press] = await server.takeUpdates();
    expect(press?.callback_query).toMatchObject({ inline_message_id: inlineMessageId, data: 'vote:yes' });
    expect(press?.callback_query?.message).toBeUndefined();

    expect(await server.api.editMessageTextInline(inlineMessageId, 'Lunch at noon? 1 yes')).toBe(true);
    expect(server.emulator.transcript(ADA.id).messages.find((m) => m.message_id === sent.message_id)?.text).toBe(
      'Lunch at noon? 1 yes',
    );
    await expect(server.api.editMessageTextInline('nope', 'x')).rejects.toMatchObject(
      telegramError(400, 'Bad Request: MESSAGE_ID_INVALID'),
    );
  });
});
