// Groups and channels through the emulator with grammY's real Api: what the bot is told when it is
// added, who joins, what it sees under privacy mode, what it may send depending on its rights, and
// what getChat, getChatMember and getChatAdministrators answer.
import { InputFile } from 'grammy';
import type { User } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorServer, startEmulatorServer, telegramError } from '../support/emulator-server.js';
import { png } from '../support/images.js';

const OWNER: User = { id: 601, is_bot: false, first_name: 'Olga' };
const MEMBER: User = { id: 602, is_bot: false, first_name: 'Max' };
const NEWCOMER: User = { id: 603, is_bot: false, first_name: 'Nia' };

let server: EmulatorServer;

beforeEach(async () => {
  server = await startEmulatorServer();
});

afterEach(async () => {
  await server.close();
});

describe('groups', () => {
  it('tells the bot it was added, and shows its members, administrators and itself', async () => {
    const group = server.emulator.chats.createGroup({ title: 'Team', owner: OWNER, members: [MEMBER] });
    expect(group).toMatchObject({ type: 'supergroup', title: 'Team' });
    expect(String(group.id)).toMatch(/^-100\d+$/);
    const [added] = await server.takeUpdates();
    expect(added?.my_chat_member).toMatchObject({
      chat: { id: group.id },
      from: { id: OWNER.id },
      old_chat_member: { status: 'left' },
      new_chat_member: { status: 'member', user: { id: server.emulator.botUser.id } },
    });

    expect(await server.api.getChat(group.id)).toMatchObject({
      id: group.id,
      type: 'supergroup',
      title: 'Team',
      permissions: { can_send_messages: true },
    });
    expect(await server.api.getChatMember(group.id, MEMBER.id)).toEqual({ status: 'member', user: MEMBER });
    expect(await server.api.getChatMember(group.id, OWNER.id)).toMatchObject({ status: 'creator' });
    const administrators = await server.api.getChatAdministrators(group.id);
    expect(administrators.map((admin) => admin.user.id)).toEqual([OWNER.id]);
    expect(await server.api.getChatMemberCount(group.id)).toBe(3);
    // A user the emulator knows but who is not in the group has left it; one it never met is unknown.
    server.emulator.sendUserMessage(NEWCOMER, 'hi');
    expect(await server.api.getChatMember(group.id, NEWCOMER.id)).toMatchObject({ status: 'left' });
    await expect(server.api.getChatMember(group.id, 999)).rejects.toMatchObject(
      telegramError(400, 'Bad Request: user not found'),
    );
  });

  it('hands a member bot only commands, mentions and replies to it (privacy mode), an administrator everything', async () => {
    const group = server.emulator.chats.createGroup({ title: 'Team', owner: OWNER, members: [MEMBER] });
    await server.takeUpdates();
    const own = await server.api.sendMessage(group.id, 'Hello group');
    server.emulator.messages.send(MEMBER, 'just chatting', { chatId: group.id });
    server.emulator.messages.send(MEMBER, '/help', { chatId: group.id });
    server.emulator.messages.send(MEMBER, 'hey @omnicore_emulator_bot', { chatId: group.id });
    server.emulator.messages.send(MEMBER, 'thanks', { chatId: group.id, replyTo: own.message_id });
    const seen = await server.takeUpdates();
    expect(seen.map((update) => update.message?.text)).toEqual(['/help', 'hey @omnicore_emulator_bot', 'thanks']);
    expect(seen[2]?.message?.reply_to_message).toMatchObject({ message_id: own.message_id, text: 'Hello group' });

    const adminGroup = server.emulator.chats.createGroup({
      title: 'Mods',
      owner: OWNER,
      members: [MEMBER],
      bot: 'administrator',
    });
    await server.takeUpdates();
    server.emulator.messages.send(MEMBER, 'just chatting', { chatId: adminGroup.id });
    expect((await server.takeUpdates()).map((update) => update.message?.text)).toEqual(['just chatting']);
  });

  it('tells of a member joining: a new_chat_members message, and a chat_member update to an administrator', async () => {
    const group = server.emulator.chats.createGroup({ title: 'Team', owner: OWNER, bot: 'administrator' });
    await server.takeUpdates();
    server.emulator.chats.join(group.id, NEWCOMER);
    const [message, member] = await server.takeUpdates();
    expect(message?.message).toMatchObject({
      chat: { id: group.id },
      from: { id: NEWCOMER.id },
      new_chat_members: [NEWCOMER],
    });
    expect(member?.chat_member).toMatchObject({
      chat: { id: group.id },
      old_chat_member: { status: 'left', user: { id: NEWCOMER.id } },
      new_chat_member: { status: 'member', user: { id: NEWCOMER.id } },
    });
    expect(await server.api.getChatMember(group.id, NEWCOMER.id)).toMatchObject({ status: 'member' });
    expect(() => server.emulator.chats.join(group.id, NEWCOMER)).toThrow(/already a member/);
  });

  it('refuses a bot without rights, outside the group, or writing first to a user who never wrote to it', async () => {
    const readOnly = server.emulator.chats.createGroup({
      title: 'Announcements',
      owner: OWNER,
      members: [MEMBER],
      bot: 'read-only',
    });
    const absent = server.emulator.chats.createGroup({ title: 'Elsewhere', owner: OWNER, bot: 'absent' });
    const basic = server.emulator.chats.createGroup({ title: 'Old', type: 'group', owner: OWNER, bot: 'absent' });
    await expect(server.api.sendMessage(readOnly.id, 'hi')).rejects.toMatchObject(
      telegramError(400, 'Bad Request: not enough rights to send text messages to the chat'),
    );
    await expect(server.api.sendPhoto(readOnly.id, new InputFile(png(4, 4)))).rejects.toMatchObject(
      telegramError(400, 'Bad Request: not enough rights to send photos to the chat'),
    );
    await expect(server.api.sendMessage(absent.id, 'hi')).rejects.toMatchObject(
      telegramError(403, 'Forbidden: bot is not a member of the supergroup chat'),
    );
    await expect(server.api.sendMessage(basic.id, 'hi')).rejects.toMatchObject(
      telegramError(403, 'Forbidden: bot is not a member of the group chat'),
    );
    await expect(server.api.getChat(absent.id)).rejects.toMatchObject(telegramError(403, /not a member/));
    // Max is known from the group, but never opened a chat with the bot.
    await expect(server.api.sendMessage(MEMBER.id, 'hi')).rejects.toMatchObject(
      telegramError(403, "Forbidden: bot can't initiate conversation with a user"),
    );
    await expect(server.api.getChatAdministrators(OWNER.id)).rejects.toMatchObject(
      telegramError(400, /chat not found/),
    );
  });
});

describe('channels', () => {
  it('lets an administrator bot post (the post comes from the channel), found by @username too', async () => {
    const channel = server.emulator.chats.createChannel({ title: 'News', username: 'omni_news', owner: OWNER });
    const [added] = await server.takeUpdates();
    expect(added?.my_chat_member?.new_chat_member).toMatchObject({ status: 'administrator', can_post_messages: true });

    const post = await server.api.sendMessage('@omni_news', 'Release 1.0 is out');
    expect(post).toMatchObject({
      chat: { id: channel.id, type: 'channel' },
      sender_chat: { id: channel.id },
      text: 'Release 1.0 is out',
    });
    expect(post.from).toBeUndefined();
    expect(await server.api.editMessageText(channel.id, post.message_id, 'Release 1.0.1 is out')).toMatchObject({
      text: 'Release 1.0.1 is out',
    });
  });

  it('hands the bot the owner’s posts as channel_post updates', async () => {
    const channel = server.emulator.chats.createChannel({ title: 'News', owner: OWNER });
    await server.takeUpdates();
    server.emulator.chats.post(channel.id, 'Morning digest');
    const [update] = await server.takeUpdates();
    expect(update?.channel_post).toMatchObject({
      chat: { id: channel.id },
      sender_chat: { id: channel.id },
      text: 'Morning digest',
    });
  });

  it('refuses a bot that may not post, or is not in the channel', async () => {
    const readOnly = server.emulator.chats.createChannel({ title: 'Quiet', owner: OWNER, bot: 'read-only' });
    const absent = server.emulator.chats.createChannel({ title: 'Closed', owner: OWNER, bot: 'absent' });
    await expect(server.api.sendMessage(readOnly.id, 'hi')).rejects.toMatchObject(
      telegramError(400, 'Bad Request: need administrator rights in the channel chat'),
    );
    await expect(server.api.sendMessage(absent.id, 'hi')).rejects.toMatchObject(
      telegramError(403, 'Forbidden: bot is not a member of the channel chat'),
    );
    await expect(server.api.sendMessage('@nobody_here', 'hi')).rejects.toMatchObject(
      telegramError(400, 'Bad Request: chat not found'),
    );
  });
});
