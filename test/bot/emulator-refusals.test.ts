// The emulator refuses what Telegram refuses, in Telegram's words and wire format: text limits,
// edits that change nothing or find nothing, missing and malformed parameters, unknown chats; and it
// reads parameters however Telegram takes them (any letter case in method names, forms, replies).
import { InlineKeyboard } from 'grammy';
import type { User } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { EMULATOR_PREFIX } from '../../src/bot/emulator/routes.js';
import { startEmulatorServer, telegramError, useEmulatorServer } from '../support/emulator-server.js';

const ADA: User = { id: 501, is_bot: false, first_name: 'Ada' };

const server = useEmulatorServer(ADA);

/** One raw Bot API request, as a client other than grammY would make it. */
async function raw(method: string, body: string, contentType: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.base}${EMULATOR_PREFIX}/bot${server.emulator.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, body: await response.json() };
}

describe('refusals', () => {
  it('answers a refused call 400 with Telegram’s {ok, error_code, description}', async () => {
    const answer = await raw(
      'sendMessage',
      JSON.stringify({ chat_id: ADA.id, text: 'x'.repeat(4097) }),
      'application/json',
    );
    expect(answer).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' },
    });
    expect((await raw('sendMessage', JSON.stringify({ text: 'hi' }), 'application/json')).body).toMatchObject({
      description: 'Bad Request: chat_id is empty',
    });
    expect((await raw('sendMessage', '{"chat_id": ', 'application/json')).status).toBe(400);
  });

  it('sends a text of exactly 4096 characters and refuses an empty one', async () => {
    expect((await server.api.sendMessage(ADA.id, 'x'.repeat(4096))).text).toHaveLength(4096);
    await expect(server.api.sendMessage(ADA.id, '  ')).rejects.toMatchObject(
      telegramError(400, 'Bad Request: message text is empty'),
    );
  });

  it('refuses edits that find nothing or change nothing', async () => {
    const keyboard = new InlineKeyboard().text('Yes', 'yes');
    const sent = await server.api.sendMessage(ADA.id, 'Ready?', { reply_markup: keyboard });
    await expect(server.api.editMessageText(ADA.id, 4242, 'x')).rejects.toMatchObject(
      telegramError(400, 'Bad Request: message to edit not found'),
    );
    await expect(
      server.api.editMessageReplyMarkup(ADA.id, sent.message_id, { reply_markup: keyboard }),
    ).rejects.toMatchObject(telegramError(400, /^Bad Request: message is not modified/));
    const cleared = await server.api.editMessageReplyMarkup(ADA.id, sent.message_id);
    expect(cleared).toMatchObject({ message_id: sent.message_id, text: 'Ready?' });
    expect((cleared as { reply_markup?: unknown }).reply_markup).toBeUndefined();
    await expect(server.api.sendMessage(ADA.id, 'x', { reply_parameters: { message_id: 4242 } })).rejects.toMatchObject(
      telegramError(400, 'Bad Request: message to be replied not found'),
    );
  });

  it('refuses a wrong chat action and callback data longer than 64 bytes', async () => {
    const raw = server.api.raw as unknown as Record<string, (payload: object) => Promise<unknown>>;
    await expect(raw.sendChatAction?.({ chat_id: ADA.id, action: 'dancing' })).rejects.toMatchObject(
      telegramError(400, 'Bad Request: wrong parameter action in request'),
    );
    await expect(
      server.api.sendMessage(ADA.id, 'x', { reply_markup: new InlineKeyboard().text('Long', 'd'.repeat(65)) }),
    ).rejects.toMatchObject(telegramError(400, 'Bad Request: BUTTON_DATA_INVALID'));
  });
});

describe('reading parameters', () => {
  it('matches method names in any letter case, as Telegram does', async () => {
    const answer = await raw('SENDMESSAGE', JSON.stringify({ chat_id: ADA.id, text: 'loud' }), 'application/json');
    expect(answer).toMatchObject({ status: 200, body: { ok: true, result: { text: 'loud' } } });
  });

  it('takes a urlencoded form, with objects JSON-encoded', async () => {
    const form = new URLSearchParams({
      chat_id: String(ADA.id),
      text: 'from a form',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] }),
    });
    const answer = await raw('sendMessage', form.toString(), 'application/x-www-form-urlencoded');
    expect(answer).toMatchObject({
      status: 200,
      body: {
        result: { text: 'from a form', reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] } },
      },
    });
  });

  it('hands out chat_member updates only to a bot that asked for them', async () => {
    const fresh = await startEmulatorServer();
    try {
      const group = fresh.emulator.chats.createGroup({ title: 'T', owner: ADA, bot: 'administrator' });
      // The helper asked for every kind; an empty list goes back to Telegram's default kinds.
      await fresh.api.getUpdates({ allowed_updates: [] });
      fresh.emulator.chats.join(group.id, { id: 777, is_bot: false, first_name: 'Kim' });
      const kinds = (await fresh.api.getUpdates()).map((update) =>
        Object.keys(update).find((key) => key !== 'update_id'),
      );
      expect(kinds).toEqual(['my_chat_member', 'message']);
    } finally {
      await fresh.close();
    }
  });
});
