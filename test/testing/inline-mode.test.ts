// The test bed driving a plugin in inline mode (test/fixtures/plugins/lookup): answered results
// with paging, a result chosen into a group, and a button under it that edits it by inline_message_id.
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PLUGINS = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));

describe('a plugin answering inline queries', () => {
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({ pluginsDir: PLUGINS, enable: { lookup: true } });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('answers a query page by page', async () => {
    const first = await bed.inline('a');
    expect(first.results.map((result) => result.id)).toEqual(['apple', 'apricot']);
    expect(first.nextOffset).toBe('2');
    const next = await bed.inline('a', { offset: '2' });
    expect(next.results.map((result) => result.id)).toEqual(['avocado']);
    expect(next.nextOffset).toBeUndefined();
    expect((await bed.inline('kiwi')).results).toEqual([]);
  });

  it('sends the chosen result via the bot, and edits it when its button is pressed', async () => {
    const group = bed.createGroup({ title: 'Lunch' });
    const answer = await bed.inline('ch', { chatType: 'supergroup' });
    const sent = await bed.choose(answer, 'cherry', { chatId: group.id });
    expect(sent).toMatchObject({ text: 'I like cherrys', via_bot: { username: bed.emulator.botUser.username } });

    expect(await bed.press(sent, '👍')).toEqual({ text: 'Liked' });
    const edited = await bed.pop({ chatId: group.id });
    expect(edited).toMatchObject({ message_id: sent.message_id, text: 'I like cherrys (👍 Tester)' });

    await bed.idle();
    const chosen = await bed.platform.database.db
      .selectFrom('plugin_storage')
      .select('value')
      .where('plugin', '=', 'lookup')
      .where('key', '=', 'chosen')
      .executeTakeFirst();
    expect(JSON.parse(chosen?.value ?? 'null')).toBe(1);
  });
});
