// Text messages both ways: users write (privately or in a group) and press inline buttons; the
// bot sends, edits and deletes messages, answers button presses and shows chat actions.
import type { Message, MessageEntity, Update, User } from 'grammy/types';
import { z } from 'zod';
import { badRequest, type EmulatorApiError } from './api-error.js';
import type { ChatRecord } from './chat-store.js';
import type { EmulatorCore, Method } from './events.js';
import { formattedText } from './formatting.js';
import { bool, chatIdParam, entities, inlineKeyboardOf, int, parseMode, read, replyMarkup } from './params.js';
import { deliver, editTarget, notModified, outgoing, replaceMessage, sameJson, withoutReply } from './sending.js';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export interface UserMessageOptions {
  /** A group or supergroup the user is a member of; their private chat with the bot if absent. */
  chatId?: number;
  /** The message in that chat this one replies to. */
  replyTo?: number;
  /** Stored in the chat but never handed to the bot: an update lost on its way. */
  undelivered?: boolean;
}

export class Messages {
  private readonly callbackQueries = new Map<string, number>();
  private nextCallbackId = 1;

  constructor(private readonly core: EmulatorCore) {}

  // ── the chat side ───────────────────────────────────────────────────────────────────────────

  /** A user writes `text`; returns the message as the bot will see it (if it sees it: see ChatStore.botSees). */
  send(user: User, text: string, options: UserMessageOptions = {}): Message {
    return this.fromUser(user, { text, ...textEntities(text) }, options);
  }

  /** Stores what a user sends in a chat they belong to, and hands it to the bot if the bot sees it there. */
  fromUser(user: User, content: Partial<Message>, { chatId, replyTo, undelivered }: UserMessageOptions = {}): Message {
    const record = this.userChat(user, chatId);
    const original = replyTo === undefined ? undefined : record.messages.get(replyTo);
    if (replyTo !== undefined && !original) throw badRequest('message to be replied not found');
    const message = this.core.store.store(record, {
      from: user,
      ...content,
      ...(original ? { reply_to_message: withoutReply(original) as Message['reply_to_message'] } : {}),
    });
    if (!undelivered && this.core.store.botSees(record, message))
      this.core.push({ message: message as Update['message'] });
    return message;
  }

  /** A user presses an inline button with `data` under a message; returns the callback query's id. */
  press(user: User, messageId: number, data: string, chatId: number = user.id): string {
    const record = chatId === user.id ? this.core.store.privateChat(user) : this.core.store.require(chatId);
    const message = record.messages.get(messageId);
    const buttons = (message?.reply_markup?.inline_keyboard ?? []).flat();
    if (!message || !buttons.some((button) => 'callback_data' in button && button.callback_data === data)) {
      throw badRequest('no such button on that message');
    }
    const id = String(this.nextCallbackId++);
    this.callbackQueries.set(id, record.chat.id);
    const inlineMessageId = [...this.core.store.inlineMessages].find(
      ([, where]) => where.chatId === record.chat.id && where.messageId === messageId,
    )?.[0];
    this.core.push({
      callback_query: {
        id,
        from: this.core.store.remember(user),
        chat_instance: String(record.chat.id),
        data,
        ...(inlineMessageId ? { inline_message_id: inlineMessageId } : { message }),
      },
    });
    return id;
  }

  private userChat(user: User, chatId: number | undefined): ChatRecord {
    if (chatId === undefined || chatId === user.id) return this.core.store.privateChat(user);
    const record = this.core.store.require(chatId);
    const member = record.members.get(user.id);
    const canWrite =
      member?.status === 'creator' ||
      member?.status === 'administrator' ||
      member?.status === 'member' ||
      (member?.status === 'restricted' && member.can_send_messages);
    if (record.chat.type === 'channel' || !canWrite) throw badRequest('the user cannot write in that chat');
    this.core.store.remember(user);
    return record;
  }

  // ── the bot side ────────────────────────────────────────────────────────────────────────────

  readonly methods: Record<string, Method> = {
    sendMessage: (params) => {
      const { record, fields } = outgoing(this.core, params, 'text messages');
      const p = read({ entities: entities.optional(), parse_mode: parseMode }, params);
      const { text, entities: found } = formattedText(params.text, p.parse_mode, p.entities);
      return deliver(this.core, record, { ...fields, text, ...(found ? { entities: found } : {}) });
    },
    editMessageText: (params) => {
      const target = editTarget(this.core, params);
      const p = read(
        { reply_markup: replyMarkup.optional(), entities: entities.optional(), parse_mode: parseMode },
        params,
      );
      const { text, entities: found } = formattedText(params.text, p.parse_mode, p.entities);
      const markup = inlineKeyboardOf(p.reply_markup);
      const current = target.message;
      if (!('text' in current)) throw badRequest('there is no text in the message to edit');
      if (current.text === text && sameJson(current.entities, found) && sameJson(current.reply_markup, markup))
        throw notModified();
      const { reply_markup: _, entities: __, ...rest } = current;
      return replaceMessage(this.core, target, {
        ...rest,
        text,
        ...(found ? { entities: found } : {}),
        ...(markup ? { reply_markup: markup } : {}),
      } as Message);
    },
    editMessageReplyMarkup: (params) => {
      const target = editTarget(this.core, params);
      const markup = inlineKeyboardOf(read({ reply_markup: replyMarkup.optional() }, params).reply_markup);
      if (sameJson(target.message.reply_markup, markup)) throw notModified();
      const { reply_markup: _, ...rest } = target.message;
      return replaceMessage(this.core, target, { ...rest, ...(markup ? { reply_markup: markup } : {}) } as Message);
    },
    deleteMessage: (params) => {
      const p = read({ chat_id: chatIdParam, message_id: int }, params, {
        chat_id: 'chat_id is empty',
        message_id: 'message identifier is not specified',
      });
      const record = this.core.store.require(p.chat_id);
      const message = record.messages.get(p.message_id);
      if (!message) throw badRequest('message to delete not found');
      const bot = record.members.get(this.core.botUser.id);
      const mayDeleteOthers =
        record.chat.type === 'private' || (bot?.status === 'administrator' && bot.can_delete_messages);
      if (!record.botMessages.has(p.message_id) && !mayDeleteOthers) throw badRequest("message can't be deleted");
      record.messages.delete(p.message_id);
      record.botMessages.delete(p.message_id);
      this.core.record({ chatId: record.chat.id, type: 'delete', messageId: p.message_id });
      return true;
    },
    answerCallbackQuery: (params) => {
      const p = read(
        {
          callback_query_id: z.string(),
          text: z.string().max(200).optional(),
          show_alert: bool.optional(),
          url: z.string().optional(),
        },
        params,
      );
      const chatId = this.callbackQueries.get(p.callback_query_id);
      if (chatId === undefined) throw queryTooOld();
      this.callbackQueries.delete(p.callback_query_id);
      this.core.record({
        chatId,
        type: 'callback_answer',
        queryId: p.callback_query_id,
        ...(p.text !== undefined ? { text: p.text } : {}),
        ...(p.show_alert !== undefined ? { showAlert: p.show_alert } : {}),
        ...(p.url !== undefined ? { url: p.url } : {}),
      });
      return true;
    },
    sendChatAction: (params) => {
      const { record } = outgoing(this.core, params, 'text messages');
      const action = String(params.action ?? '');
      if (!CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
      this.core.record({ chatId: record.chat.id, type: 'chat_action', action });
      return true;
    },
  };
}

export function queryTooOld(): EmulatorApiError {
  return badRequest('query is too old and response timeout expired or query ID is invalid');
}

/** The entities Telegram finds in a user's text: /commands, @mentions and web addresses. */
export function textEntities(text: string): { entities?: MessageEntity[] } {
  const found: MessageEntity[] = [];
  for (const match of text.matchAll(
    /(?<=^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?|@[A-Za-z0-9_]{5,32})(?![A-Za-z0-9_])/g,
  )) {
    const type = match[0].startsWith('/') ? 'bot_command' : 'mention';
    found.push({ type, offset: match.index, length: match[0].length });
  }
  // Trailing punctuation ends a sentence, not the address, as Telegram reads it.
  for (const match of text.matchAll(/\bhttps?:\/\/[^\s<>"]+?(?=[.,;:!?)\]]*(?:\s|$))/g)) {
    found.push({ type: 'url', offset: match.index, length: match[0].length });
  }
  found.sort((a, b) => a.offset - b.offset);
  return found.length > 0 ? { entities: found } : {};
}
