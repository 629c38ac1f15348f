// What the bot's sending and editing methods share: the chat (and whether the bot may post there),
// the message replied to, the inline keyboard, the message to edit (by chat and id, or by
// inline_message_id), and how the result reaches the chat side.
import type { Message } from 'grammy/types';
import { z } from 'zod';
import { badRequest } from './api-error.js';
import { type ChatRecord, type Sendable, unixNow } from './chat-store.js';
import type { EmulatorCore } from './events.js';
import { bool, chatIdParam, inlineKeyboardOf, int, json, type Params, read, replyMarkup } from './params.js';

const sendShape = {
  chat_id: chatIdParam,
  reply_parameters: json(z.looseObject({ message_id: int, allow_sending_without_reply: bool.optional() })).optional(),
  reply_to_message_id: int.optional(),
  reply_markup: replyMarkup.optional(),
};

export interface Outgoing {
  record: ChatRecord;
  /** The fields every sent message carries: its author, the message it replies to, its keyboard. */
  fields: Partial<Message>;
}

/** The chat a send goes to and the fields shared by every kind of message, or Telegram's refusal. */
export function outgoing(core: EmulatorCore, params: Params, what: Sendable): Outgoing {
  const p = read(sendShape, params, { chat_id: 'chat_id is empty' });
  const record = core.store.sendTarget(p.chat_id, what);
  const replyTo = p.reply_parameters?.message_id ?? p.reply_to_message_id;
  const original = replyTo === undefined ? undefined : record.messages.get(replyTo);
  if (replyTo !== undefined && !original && !p.reply_parameters?.allow_sending_without_reply) {
    throw badRequest('message to be replied not found');
  }
  const keyboard = inlineKeyboardOf(p.reply_markup);
  return {
    record,
    fields: {
      ...authorIn(core, record),
      ...(original ? { reply_to_message: withoutReply(original) as Message['reply_to_message'] } : {}),
      ...(keyboard ? { reply_markup: keyboard } : {}),
    },
  };
}

/** Who a bot's message is from: the bot, or in a channel the channel itself. */
function authorIn(core: EmulatorCore, record: ChatRecord): Partial<Message> {
  return record.chat.type === 'channel' ? { sender_chat: record.chat } : { from: core.botUser };
}

/** Stores a message the bot sent and shows it to the chat side. */
export function deliver(core: EmulatorCore, record: ChatRecord, fields: Partial<Message>): Message {
  const message = core.store.store(record, fields);
  record.botMessages.add(message.message_id);
  core.record({ chatId: record.chat.id, type: 'message', message });
  return message;
}

export interface EditTarget {
  record: ChatRecord;
  message: Message;
  /** Set when the bot edits a message sent through it in inline mode; such an edit answers `true`. */
  inline: boolean;
}

const editShape = {
  chat_id: chatIdParam.optional(),
  message_id: int.optional(),
  inline_message_id: z.string().optional(),
};

export function editTarget(core: EmulatorCore, params: Params): EditTarget {
  const p = read(editShape, params);
  if (p.inline_message_id !== undefined) {
    const where = core.store.inlineMessages.get(p.inline_message_id);
    const record = where ? core.store.find(where.chatId) : undefined;
    const message = where ? record?.messages.get(where.messageId) : undefined;
    if (!record || !message) throw badRequest('MESSAGE_ID_INVALID');
    return { record, message, inline: true };
  }
  if (p.chat_id === undefined) throw badRequest('chat_id is empty');
  const record = core.store.require(p.chat_id);
  if (p.message_id === undefined) throw badRequest('message identifier is not specified');
  const message = record.messages.get(p.message_id);
  if (!message) throw badRequest('message to edit not found');
  if (!record.botMessages.has(message.message_id)) throw badRequest("message can't be edited");
  return { record, message, inline: false };
}

/** Telegram's answer to an edit that would change nothing. */
export function notModified(): Error {
  return badRequest(
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  );
}

/** Whether two parts of a message (keyboards, entities) are the same, absent and empty alike. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Puts the edited message in place, shows the edit, and answers as Telegram does. */
export function replaceMessage(core: EmulatorCore, target: EditTarget, edited: Message): Message | true {
  const message = { ...edited, edit_date: unixNow() } as Message;
  target.record.messages.set(message.message_id, message);
  core.record({ chatId: target.record.chat.id, type: 'edit', message });
  return target.inline ? true : message;
}

/** A replied-to message is shown one level deep, as Telegram nests it. */
export function withoutReply(message: Message): Message {
  const { reply_to_message: _, ...rest } = message as Message & { reply_to_message?: Message };
  return rest as Message;
}
