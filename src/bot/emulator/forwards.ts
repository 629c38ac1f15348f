// Messages users forward to the bot: the original's text or caption (entities kept) and media, with
// `forward_origin` saying where it came from (a user, a hidden user, a chat, a channel post), as the
// Bot API 7+ sends it. Refuses what Telegram could not have sent.
import type { Chat, Message, MessageEntity, MessageOrigin, User } from 'grammy/types';
import { badRequest } from './api-error.js';
import { type ChatStore, unixNow } from './chat-store.js';
import type { EmulatorCore } from './events.js';
import { type Messages, textEntities, type UserMessageOptions } from './messages.js';

/** Where a forwarded message came from: a MessageOrigin whose `date` defaults to now. */
export type ForwardOrigin =
  | { type: 'user'; sender_user: User; date?: number }
  | { type: 'hidden_user'; sender_user_name: string; date?: number }
  | { type: 'chat'; sender_chat: Chat; author_signature?: string; date?: number }
  | { type: 'channel'; chat: Chat.ChannelChat; message_id: number; author_signature?: string; date?: number };

/** The original: a text (its /commands and @mentions found as a user's are), or a message whose content is forwarded. */
export type Forwarded = string | { text: string; entities?: MessageEntity[] } | Message;

/** What a message is about, not where it is: the fields a forward copies. */
const PLACE_FIELDS = new Set([
  'message_id',
  'message_thread_id',
  'from',
  'sender_chat',
  'date',
  'chat',
  'edit_date',
  'reply_to_message',
  'reply_markup',
  'via_bot',
  'forward_origin',
  'is_automatic_forward',
  'author_signature',
  'has_protected_content',
]);

export class Forwards {
  constructor(
    private readonly core: EmulatorCore,
    private readonly messages: Messages,
  ) {}

  /** A user forwards `original` (from `from`) to the bot, or into a group; the message as the bot will see it. */
  forward(user: User, original: Forwarded, from: ForwardOrigin, options: UserMessageOptions = {}): Message {
    const content = contentOf(original);
    const text = content.text ?? content.caption;
    if (text === '') throw badRequest('message text is empty');
    if (text !== undefined && text.length > 4096) throw badRequest('message is too long');
    if (text === undefined && Object.keys(content).length === 0) throw badRequest('message to forward has no content');
    return this.messages.fromUser(user, { ...content, forward_origin: origin(this.core.store, from) }, options);
  }
}

function contentOf(original: Forwarded): Partial<Message> {
  if (typeof original === 'string') return { text: original, ...textEntities(original) };
  if ('message_id' in original && original.has_protected_content) throw badRequest("message can't be forwarded");
  return Object.fromEntries(Object.entries(original).filter(([key]) => !PLACE_FIELDS.has(key))) as Partial<Message>;
}

function origin(store: ChatStore, from: ForwardOrigin): MessageOrigin {
  const date = from.date ?? unixNow();
  if (!Number.isInteger(date) || date < 0 || date > unixNow())
    throw badRequest('forward_origin date is not in the past');
  switch (from.type) {
    case 'user':
      if (!Number.isSafeInteger(from.sender_user.id)) throw badRequest('forward_origin sender_user has no id');
      return { type: 'user', date, sender_user: from.sender_user };
    case 'hidden_user':
      if (!from.sender_user_name.trim()) throw badRequest('forward_origin sender_user_name is empty');
      return { type: 'hidden_user', date, sender_user_name: from.sender_user_name };
    case 'chat':
      if (from.sender_chat.type === 'private') throw badRequest('forward_origin sender_chat is a private chat');
      return { ...from, date };
    case 'channel': {
      if (from.chat.type !== 'channel') throw badRequest('forward_origin chat is not a channel');
      // A channel of the emulator's: the post must be one of its own.
      const known = store.find(from.chat.id);
      if (known && !known.messages.has(from.message_id)) throw badRequest('message to forward not found');
      return { ...from, date };
    }
    default:
      throw badRequest('forward_origin type must be user, hidden_user, chat or channel');
  }
}
