// Groups, supergroups and channels: the chat side creates them with their members and the bot's
// place in them (administrator, member, read-only or absent), lets users join and leave and
// channel owners post; the bot reads chats and members (getChat, getChatMember…) and may leave.
import type { Chat, ChatFullInfo, ChatMember, Message, Update, User } from 'grammy/types';
import { badRequest } from './api-error.js';
import { type ChatRecord, NO_PERMISSIONS, unixNow } from './chat-store.js';
import type { EmulatorCore, Method } from './events.js';
import { type Messages, textEntities } from './messages.js';
import { chatIdParam, int, read } from './params.js';

/** The bot's place in a chat: `read-only` may not send (a restricted member, or a channel admin without posting rights). */
export type BotRole = 'administrator' | 'member' | 'read-only' | 'absent';

export interface GroupOptions {
  title: string;
  /** `supergroup` unless said otherwise. */
  type?: 'group' | 'supergroup';
  /** A public @username (supergroups only). */
  username?: string;
  owner: User;
  members?: User[];
  admins?: User[];
  /** `member` unless said otherwise. */
  bot?: BotRole;
}

export interface ChannelOptions {
  title: string;
  username?: string;
  owner: User;
  subscribers?: User[];
  /** `administrator` unless said otherwise. */
  bot?: Exclude<BotRole, 'member'>;
}

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_send_welcome_messages: false,
};

export class Chats {
  private nextChat = 1;

  constructor(
    private readonly core: EmulatorCore,
    private readonly messages: Messages,
  ) {}

  // ── the chat side ───────────────────────────────────────────────────────────────────────────

  createGroup(options: GroupOptions): Chat.GroupChat | Chat.SupergroupChat {
    const type = options.type ?? 'supergroup';
    const n = this.nextChat++;
    const chat =
      type === 'group'
        ? ({ id: -(4_000_000_000 + n), type, title: options.title } as Chat.GroupChat)
        : ({
            id: -(1_002_000_000_000 + n),
            type,
            title: options.title,
            ...(options.username ? { username: options.username } : {}),
          } as Chat.SupergroupChat);
    const record = this.core.store.add(chat);
    this.enrol(record, options.owner, { status: 'creator', user: options.owner, is_anonymous: false });
    for (const admin of options.admins ?? [])
      this.enrol(record, admin, { status: 'administrator', user: admin, ...ADMIN_RIGHTS });
    for (const member of options.members ?? []) this.enrol(record, member, { status: 'member', user: member });
    this.seatBot(record, options.bot ?? 'member', options.owner);
    return chat;
  }

  createChannel(options: ChannelOptions): Chat.ChannelChat {
    const chat: Chat.ChannelChat = {
      id: -(1_002_000_000_000 + this.nextChat++),
      type: 'channel',
      title: options.title,
      ...(options.username ? { username: options.username } : {}),
    };
    const record = this.core.store.add(chat);
    this.enrol(record, options.owner, { status: 'creator', user: options.owner, is_anonymous: false });
    for (const user of options.subscribers ?? []) this.enrol(record, user, { status: 'member', user });
    this.seatBot(record, options.bot ?? 'administrator', options.owner);
    return chat;
  }

  /** A user joins: a new_chat_members message in groups, and a chat_member update if the bot is an administrator. */
  join(chatId: number, user: User): void {
    const record = this.groupOrChannel(chatId);
    const before = record.members.get(user.id) ?? { status: 'left' as const, user };
    if (['creator', 'administrator', 'member'].includes(before.status))
      throw badRequest('the user is already a member');
    const after: ChatMember = { status: 'member', user };
    this.enrol(record, user, after);
    if (record.chat.type !== 'channel') this.messages.fromUser(user, { new_chat_members: [user] }, { chatId });
    this.memberChanged(record, user, before, after);
  }

  leave(chatId: number, user: User): void {
    const record = this.groupOrChannel(chatId);
    const before = record.members.get(user.id);
    if (!before || before.status === 'left' || before.status === 'kicked') throw badRequest('the user is not a member');
    if (record.chat.type !== 'channel') this.messages.fromUser(user, { left_chat_member: user }, { chatId });
    const after: ChatMember = { status: 'left', user };
    record.members.set(user.id, after);
    this.memberChanged(record, user, before, after);
  }

  /**
   * The channel's owner (or another admin) posts a text, or other content (a photo with its caption);
   * the bot, an administrator there, gets a channel_post.
   */
  post(channelId: number, content: string | Partial<Message>): Message {
    const record = this.channel(channelId);
    const fields = typeof content === 'string' ? { text: content, ...textEntities(content) } : content;
    const message = this.core.store.store(record, { sender_chat: record.chat, ...fields });
    if (this.core.store.botSees(record, message)) this.core.push({ channel_post: message as Update['channel_post'] });
    return message;
  }

  /** The channel's owner edits a post's text (or a photo's caption); the bot gets an edited_channel_post. */
  editPost(channelId: number, messageId: number, text: string): Message {
    const record = this.channel(channelId);
    const current = record.messages.get(messageId);
    if (!current) throw badRequest('message to edit not found');
    const { entities: _entities, caption_entities: _captionEntities, ...rest } = current;
    const found = textEntities(text).entities;
    const changed = (
      'photo' in current || 'document' in current
        ? { ...rest, caption: text, ...(found ? { caption_entities: found } : {}) }
        : { ...rest, text, ...(found ? { entities: found } : {}) }
    ) as Message;
    const edited = { ...changed, edit_date: unixNow() } as Message;
    record.messages.set(messageId, edited);
    if (this.core.store.botSees(record, edited)) {
      this.core.push({ edited_channel_post: edited as Update['edited_channel_post'] });
    }
    return edited;
  }

  private channel(chatId: number): ChatRecord {
    const record = this.groupOrChannel(chatId);
    if (record.chat.type !== 'channel') throw badRequest('that chat is not a channel');
    return record;
  }

  private groupOrChannel(chatId: number): ChatRecord {
    const record = this.core.store.require(chatId);
    if (record.chat.type === 'private') throw badRequest('that is a private chat');
    return record;
  }

  private enrol(record: ChatRecord, user: User, member: ChatMember): void {
    this.core.store.remember(user);
    record.members.set(user.id, member);
  }

  /** Puts the bot in its place and tells it so (my_chat_member), as Telegram does when a bot is added. */
  private seatBot(record: ChatRecord, role: BotRole, addedBy: User): void {
    if (role === 'absent') return;
    const user = this.core.botUser;
    const channel = record.chat.type === 'channel';
    const member: ChatMember =
      role === 'administrator' || (channel && role === 'read-only')
        ? {
            status: 'administrator',
            user,
            ...ADMIN_RIGHTS,
            ...(channel
              ? { can_post_messages: role === 'administrator', can_edit_messages: role === 'administrator' }
              : {}),
            ...(channel ? {} : { can_pin_messages: true }),
          }
        : role === 'read-only'
          ? { status: 'restricted', user, is_member: true, until_date: 0, ...NO_PERMISSIONS }
          : { status: 'member', user };
    record.members.set(user.id, member);
    this.core.push({
      my_chat_member: {
        chat: record.chat,
        from: addedBy,
        date: unixNow(),
        old_chat_member: { status: 'left', user },
        new_chat_member: member,
      },
    });
  }

  private memberChanged(record: ChatRecord, user: User, before: ChatMember, after: ChatMember): void {
    if (record.members.get(this.core.botUser.id)?.status !== 'administrator') return;
    this.core.push({
      chat_member: { chat: record.chat, from: user, date: unixNow(), old_chat_member: before, new_chat_member: after },
    });
  }

  // ── the bot side ────────────────────────────────────────────────────────────────────────────

  readonly methods: Record<string, Method> = {
    getChat: (params) => {
      const record = this.visible(params);
      return {
        ...record.chat,
        accent_color_id: 0,
        max_reaction_count: 11,
        accepted_gift_types: {
          unlimited_gifts: false,
          limited_gifts: false,
          unique_gifts: false,
          premium_subscription: false,
          gifts_from_channels: false,
        },
        ...(record.chat.type === 'group' || record.chat.type === 'supergroup'
          ? { permissions: record.permissions }
          : {}),
      } as ChatFullInfo;
    },
    getChatMember: (params) => {
      const record = this.visible(params);
      const { user_id: userId } = read({ user_id: int }, params);
      if (record.chat.type === 'private') {
        const user = userId === this.core.botUser.id ? this.core.botUser : this.core.store.users.get(userId);
        if (!user || (userId !== record.chat.id && userId !== this.core.botUser.id)) throw badRequest('user not found');
        return { status: 'member', user };
      }
      const known = this.core.store.users.get(userId);
      const member = record.members.get(userId) ?? (known ? { status: 'left', user: known } : undefined);
      if (!member) throw badRequest('user not found');
      return member;
    },
    getChatAdministrators: (params) => {
      const record = this.visible(params);
      if (record.chat.type === 'private') throw badRequest('there are no administrators in the private chat');
      return [...record.members.values()].filter((m) => m.status === 'creator' || m.status === 'administrator');
    },
    getChatMemberCount: (params) => {
      const record = this.visible(params);
      if (record.chat.type === 'private') return 2;
      return [...record.members.values()].filter(
        (m) => ['creator', 'administrator', 'member'].includes(m.status) || (m.status === 'restricted' && m.is_member),
      ).length;
    },
    leaveChat: (params) => {
      const record = this.visible(params);
      if (record.chat.type === 'private') throw badRequest("chat member status can't be changed in private chats");
      const before = this.core.store.botIn(record);
      const after: ChatMember = { status: 'left', user: this.core.botUser };
      record.members.set(this.core.botUser.id, after);
      this.core.push({
        my_chat_member: {
          chat: record.chat,
          from: this.core.botUser,
          date: unixNow(),
          old_chat_member: before,
          new_chat_member: after,
        },
      });
      return true;
    },
  };

  /** The chat a bot asks about; a group or channel only while the bot is in it. */
  private visible(params: Record<string, unknown>): ChatRecord {
    const { chat_id: chatId } = read({ chat_id: chatIdParam }, params, { chat_id: 'chat_id is empty' });
    const record = this.core.store.require(chatId);
    if (record.chat.type !== 'private') this.core.store.botIn(record);
    return record;
  }
}
