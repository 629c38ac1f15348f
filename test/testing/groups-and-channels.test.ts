// The test bed driving a plugin for groups and channels (test/fixtures/plugins/community): members
// joining a group, a command in the group, channels the bot administers (learned from
// my_chat_member), publishing to them with one refused for lack of rights, and the owner's posts.
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PLUGINS = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
const ALICE = { id: 2001, is_bot: false, first_name: 'Alice' };

describe('a plugin acting in groups and channels', () => {
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({
      pluginsDir: PLUGINS,
      enable: { community: true },
      env: { ADMIN_TELEGRAM_IDS: '1001' },
    });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('welcomes who joins a group and answers commands there', async () => {
    const group = bed.createGroup({ title: 'Readers', members: [ALICE] });
    bed.join(group.id, { id: 2002, first_name: 'Bob' });
    expect(await bed.popText({ chatId: group.id })).toBe('Welcome, Bob!');
    bed.push('/where', ALICE, { chatId: group.id });
    // Tester (the owner), Alice, Bob and the bot.
    expect(await bed.popText({ chatId: group.id })).toBe('Readers, 4 members');
  });

  it('publishes to the channels it administers, and reports one it may not post in', async () => {
    const news = bed.createChannel({ title: 'News', username: 'omni_news' });
    bed.createChannel({ title: 'Quiet', bot: 'read-only' });
    await bed.idle();

    bed.push('/publish Release 1.0 is out');
    expect(await bed.popText()).toBe(
      'Published to 1 of 2.\nBad Request: need administrator rights in the channel chat',
    );
    const post = await bed.pop({ chatId: news.id });
    expect(post).toMatchObject({ text: 'Release 1.0 is out', sender_chat: { id: news.id } });

    bed.post(news.id, 'Comments are open');
    await bed.idle();
    const last = await bed.platform.database.db
      .selectFrom('plugin_storage')
      .select('value')
      .where('plugin', '=', 'community')
      .where('key', '=', 'last post')
      .executeTakeFirst();
    expect(JSON.parse(last?.value ?? 'null')).toBe('Comments are open');
  });
});
