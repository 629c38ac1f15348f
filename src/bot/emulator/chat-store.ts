// The emulator's world: the users it has met, the chats (private ones with the bot, groups,
// supergroups and channels with their members) and every message in them. It decides what Telegram
// decides from that: whether a chat exists, whether the bot may write there, whether it sees a message.
import type { Chat, ChatMember, ChatPermissions, Message, User } from 'grammy/types';
import { badRequest, forbidden } from './api-error.js';

export interface ChatRecord {
  chat: Chat;
  nextMessageId: number;
  messages: Map<number, Message>;
  /** Ids of the messages the bot sent, the only ones it may edit. */
  botMessages: Set<number>;
  /** Groups and channels: everyone's membership, the bot's included. Empty for private chats. */
  members: Map<number, ChatMember>;
  /** What plain members of a group may do. */
  permissions: ChatPermissions;
}

export type BotUser = User & { is_bot: true; username: string };

/** What a bot sends, in the words Telegram's refusals use, and the permission it needs in a group. */
const SEND_RIGHTS = {
  'text messages': 'can_send_messages',
  photos: 'can_send_photos',
  documents: 'can_send_documents',
} as const satisfies Record<string, keyof ChatPermissions>;
export type Sendable = keyof typeof SEND_RIGHTS;

const ALL_PERMISSIONS: ChatPermissions = {
  can_send_messages: true,
  can_send_audios: true,
  can_send_documents: true,
  can_send_photos: true,
  can_send_videos: true,
  can_send_video_notes: true,
  can_send_voice_notes: true,
  can_send_polls: true,
  can_send_other_messages: true,
  can_add_web_page_previews: true,
  can_change_info: false,
  can_invite_users: true,
  can_pin_messages: false,
  can_manage_topics: false,
};

/** A restricted member who may send nothing. */
export const NO_PERMISSIONS = Object.fromEntries(
  Object.keys(ALL_PERMISSIONS).map((key) => [key, false]),
) as Required<ChatPermissions>;

export class ChatStore {
  readonly users = new Map<number, User>();
  /** Messages users sent through the bot in inline mode that carry a keyboard, by inline_message_id. */
  readonly inlineMessages = new Map<string, { chatId: number; messageId: number }>();
  private readonly chats = new Map<number, ChatRecord>();

  constructor(readonly bot: BotUser) {}

  remember(user: User): User {
    this.users.set(user.id, user);
    return user;
  }

  /** The user's private chat with the bot, opened by the user's first message. */
  privateChat(user: User): ChatRecord {
    this.remember(user);
    const existing = this.chats.get(user.id);
    if (existing) return existing;
    return this.add({
      id: user.id,
      type: 'private',
      first_name: user.first_name,
      ...(user.last_name ? { last_name: user.last_name } : {}),
      ...(user.username ? { username: user.username } : {}),
    });
  }

  add(chat: Chat): ChatRecord {
    const record: ChatRecord = {
      chat,
      nextMessageId: 1,
      messages: new Map(),
      botMessages: new Set(),
      members: new Map(),
      permissions: { ...ALL_PERMISSIONS },
    };
    this.chats.set(chat.id, record);
    return record;
  }

  /** A chat by id or by the @username of a public channel or supergroup. */
  find(chatId: number | string): ChatRecord | undefined {
    if (typeof chatId === 'number') return this.chats.get(chatId);
    const username = chatId.slice(1).toLowerCase();
    for (const record of this.chats.values()) {
      if (record.chat.type !== 'private' && record.chat.username?.toLowerCase() === username) return record;
    }
    return undefined;
  }

  require(chatId: number | string): ChatRecord {
    const record = this.find(chatId);
    if (!record) throw badRequest('chat not found');
    return record;
  }

  /** Stores a new message in the chat, numbered and dated as Telegram does. */
  store(record: ChatRecord, fields: Partial<Message>): Message {
    const message = {
      message_id: record.nextMessageId++,
      date: unixNow(),
      chat: record.chat,
      ...fields,
    } as Message;
    record.messages.set(message.message_id, message);
    return message;
  }

  /** The chat the bot may send `what` to, or Telegram's refusal. */
  sendTarget(chatId: number | string, what: Sendable): ChatRecord {
    // A user met in a group who never wrote to the bot: Telegram knows them, but the bot may not write first.
    if (typeof chatId === 'number' && !this.chats.has(chatId) && this.users.has(chatId))
      throw forbidden("bot can't initiate conversation with a user");
    const record = this.require(chatId);
    const { chat } = record;
    if (chat.type === 'private') return record;
    const bot = this.botIn(record);
    if (chat.type === 'channel') {
      if (bot.status !== 'administrator' || !bot.can_post_messages)
        throw badRequest('need administrator rights in the channel chat');
      return record;
    }
    if (bot.status === 'administrator' || bot.status === 'creator') return record;
    const right = SEND_RIGHTS[what];
    const allowed = bot.status === 'restricted' ? bot[right] : record.permissions[right];
    if (!allowed) throw badRequest(`not enough rights to send ${what} to the chat`);
    return record;
  }

  /** The bot's membership in a group or channel, or Telegram's refusal when it is not in there. */
  botIn(record: ChatRecord): ChatMember {
    const place = `${record.chat.type === 'group' ? 'group' : record.chat.type} chat`;
    const bot = record.members.get(this.bot.id);
    if (!bot || bot.status === 'left') throw forbidden(`bot is not a member of the ${place}`);
    if (bot.status === 'kicked') throw forbidden(`bot was kicked from the ${place}`);
    return bot;
  }

  /**
   * Whether the bot receives a message from a group. Telegram's privacy mode (the default, as getMe
   * says) hands a bot commands, mentions of it, replies to it, service messages and messages sent via
   * it; an administrator gets everything.
   */
  botSees(record: ChatRecord, message: Message): boolean {
    if (record.chat.type === 'private') return true;
    const bot = record.members.get(this.bot.id);
    if (!bot || bot.status === 'left' || bot.status === 'kicked') return false;
    if (bot.status === 'administrator' || record.chat.type === 'channel') return true;
    const text = message.text ?? message.caption ?? '';
    return (
      text.startsWith('/') ||
      text.toLowerCase().includes(`@${this.bot.username.toLowerCase()}`) ||
      message.reply_to_message?.from?.id === this.bot.id ||
      message.via_bot?.id === this.bot.id ||
      !('text' in message || 'caption' in message || 'photo' in message || 'document' in message)
    );
  }

  messages(chatId: number): Message[] {
    return [...(this.chats.get(chatId)?.messages.values() ?? [])];
  }
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
