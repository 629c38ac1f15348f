// Inline mode: a user types "@bot something" (an inline_query update), the bot answers with results
// (answerInlineQuery), and the user picks one: it is sent to a chat as the user's message via the
// bot, and the bot hears which one was chosen (chosen_inline_result, which Telegram sends when
// inline feedback is switched on in @BotFather; the emulator always sends it).
import { randomBytes, randomInt } from 'node:crypto';
import type { Chat, InlineQueryResult, InlineQueryResultsButton, Message, MessageEntity, User } from 'grammy/types';
import { z } from 'zod';
import { badRequest } from './api-error.js';
import type { EmulatorCore, Method } from './events.js';
import { formattedCaption, formattedText } from './formatting.js';
import { content } from './media.js';
import { type Messages, queryTooOld } from './messages.js';
import { bool, entities, inlineKeyboardOf, int, json, parseMode, read, replyMarkup } from './params.js';

const RESULT_TYPES = new Set([
  'article',
  'photo',
  'gif',
  'mpeg4_gif',
  'video',
  'audio',
  'voice',
  'document',
  'location',
  'venue',
  'contact',
  'game',
  'sticker',
]);

const textContent = z.looseObject({
  message_text: z.string(),
  entities: entities.optional(),
  parse_mode: parseMode,
});
const result = z.looseObject({
  type: z.string(),
  id: z.string(),
  title: z.string().optional(),
  input_message_content: z.looseObject({}).optional(),
  reply_markup: replyMarkup.optional(),
});

interface QueryRecord {
  from: User;
  query: string;
  answer?: InlineQueryResult[];
}

export type InlineChatType = 'sender' | Chat['type'];

export class Inline {
  private readonly queries = new Map<string, QueryRecord>();

  constructor(
    private readonly core: EmulatorCore,
    private readonly messages: Messages,
  ) {}

  // ── the chat side ───────────────────────────────────────────────────────────────────────────

  /** A user types an inline query for the bot; returns its id. The bot's answer arrives as an `inline_answer` event in the user's chat. */
  query(user: User, query: string, options: { offset?: string; chatType?: InlineChatType } = {}): string {
    if (query.length > 256) throw badRequest('an inline query is at most 256 characters');
    const id = String(randomInt(1, 2 ** 47) * 1000 + randomInt(1000));
    this.queries.set(id, { from: this.core.store.remember(user), query });
    this.core.push({
      inline_query: { id, from: user, query, offset: options.offset ?? '', chat_type: options.chatType ?? 'sender' },
    });
    return id;
  }

  /**
   * The user picks one of the answered results: it is sent to `chatId` (their private chat with the
   * bot if absent) as their message via the bot, and the bot gets a chosen_inline_result.
   */
  async choose(user: User, queryId: string, resultId: string, chatId?: number): Promise<Message> {
    const query = this.queries.get(queryId);
    if (!query || query.from.id !== user.id || !query.answer) throw badRequest('that inline query has no answer yet');
    const chosen = query.answer.find((candidate) => candidate.id === resultId);
    if (!chosen) throw badRequest(`no result "${resultId}" in the answer`);
    const keyboard = inlineKeyboardOf(chosen.reply_markup);
    const body = await this.contentOf(chosen);
    const message = this.messages.fromUser(
      user,
      { ...body, via_bot: this.core.botUser, ...(keyboard ? { reply_markup: keyboard } : {}) },
      chatId === undefined ? {} : { chatId },
    );
    // Only a message with a keyboard can be edited later, so only such a one gets an inline_message_id.
    const inlineMessageId = keyboard ? randomBytes(18).toString('base64url') : undefined;
    if (inlineMessageId) {
      this.core.store.inlineMessages.set(inlineMessageId, { chatId: message.chat.id, messageId: message.message_id });
    }
    this.core.push({
      chosen_inline_result: {
        result_id: resultId,
        from: user,
        query: query.query,
        ...(inlineMessageId ? { inline_message_id: inlineMessageId } : {}),
      },
    });
    return message;
  }

  private async contentOf(chosen: InlineQueryResult): Promise<Partial<Message>> {
    const input = (chosen as { input_message_content?: unknown }).input_message_content;
    if (input !== undefined) {
      const parsed = textContent.safeParse(input);
      if (!parsed.success) throw badRequest('the emulator sends only text as input_message_content');
      const { text, entities: found } = formattedText(
        parsed.data.message_text,
        parsed.data.parse_mode,
        parsed.data.entities,
      );
      return { text, ...(found ? { entities: found } : {}) };
    }
    const fields = chosen as unknown as Record<string, unknown>;
    const caption = formattedCaption(
      fields.caption,
      fields.parse_mode as string | undefined,
      fields.caption_entities as MessageEntity[] | undefined,
    );
    if (chosen.type === 'photo') {
      const file = await this.core.files.take(fields.photo_file_id ?? fields.photo_url, 'photo', new Map());
      return content(file, caption);
    }
    if (chosen.type === 'document') {
      const file = await this.core.files.take(fields.document_file_id ?? fields.document_url, 'document', new Map());
      return content(file, caption);
    }
    throw badRequest(`the emulator sends results of type "${chosen.type}" only with input_message_content`);
  }

  // ── the bot side ────────────────────────────────────────────────────────────────────────────

  readonly methods: Record<string, Method> = {
    answerInlineQuery: (params) => {
      const p = read(
        {
          inline_query_id: z.string(),
          results: json(z.array(result)),
          cache_time: int.optional(),
          is_personal: bool.optional(),
          next_offset: z.string().optional(),
          button: json(z.looseObject({ text: z.string() })).optional(),
        },
        params,
      );
      const query = this.queries.get(p.inline_query_id);
      if (!query || query.answer) throw queryTooOld();
      if (p.results.length > 50) throw badRequest('RESULTS_TOO_MUCH');
      if (p.next_offset !== undefined && Buffer.byteLength(p.next_offset) > 64) throw badRequest('NEXT_OFFSET_INVALID');
      const seen = new Set<string>();
      for (const item of p.results) {
        if (!RESULT_TYPES.has(item.type)) throw badRequest('RESULT_TYPE_INVALID');
        if (item.id === '' || Buffer.byteLength(item.id) > 64) throw badRequest('RESULT_ID_INVALID');
        if (seen.has(item.id)) throw badRequest('RESULT_ID_DUPLICATE');
        seen.add(item.id);
        inlineKeyboardOf(item.reply_markup);
        if (item.type === 'article') {
          if (!item.title) throw badRequest('ARTICLE_TITLE_EMPTY');
          if (!item.input_message_content)
            throw badRequest("can't parse InlineQueryResultArticle: input_message_content not found");
        }
        const text = textContent.safeParse(item.input_message_content);
        if (text.success) formattedText(text.data.message_text, text.data.parse_mode, text.data.entities);
      }
      query.answer = p.results as unknown as InlineQueryResult[];
      this.core.record({
        chatId: query.from.id,
        type: 'inline_answer',
        queryId: p.inline_query_id,
        results: query.answer,
        ...(p.next_offset ? { nextOffset: p.next_offset } : {}),
        ...(p.button ? { button: p.button as InlineQueryResultsButton } : {}),
      });
      return true;
    },
  };
}
