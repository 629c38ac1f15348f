// ctx.search end to end: a plugin loaded by the platform from a plugins folder indexes what users
// send, finds it with an audience of their own, highlights it with snippet(), and its records stay
// while it is switched off.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Inside the package, so that the plugin's `import 'omnicore/plugin'` finds the build.
const PLUGINS_DIR = path.resolve('test-results/search-plugin');

const PLUGIN = `
import { definePlugin, snippet } from 'omnicore/plugin';

export default definePlugin({
  name: 'finder',
  version: '1.0.0',
  description: 'Indexes what users write; /find searches their own words',
  platform: '^0.1.0',
  setup(ctx) {
    ctx.command('keep', 'Keep a text', async (c) => {
      const text = String(c.match ?? '');
      await ctx.search.put({ id: c.chat.id + ':' + c.msg.message_id, title: text.split(' ')[0], text, language: 'en',
        owner: c.from.id, access: ['user:' + c.from.id], data: { text } });
      return c.reply('kept ' + (await ctx.search.count({ owner: c.from.id })));
    });
    ctx.command('find', 'Find your texts', async (c) => {
      const query = String(c.match ?? '');
      const page = await ctx.search.query({ text: query, audience: ['user:' + c.from.id] });
      if (page.hits.length === 0) return c.reply('nothing');
      return c.reply(page.hits.map((hit) => snippet(hit.data.text, query).map((part) => part.match ? '<' + part.text + '>' : part.text).join('')).join('\\n'));
    });
  },
});
`;

describe('ctx.search in a plugin the platform loads', () => {
  let bed: PluginTestBed;

  beforeAll(async () => {
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
    mkdirSync(path.join(PLUGINS_DIR, 'finder'), { recursive: true });
    writeFileSync(path.join(PLUGINS_DIR, 'finder', 'index.mjs'), PLUGIN);
    bed = await createPluginTestBed({ pluginsDir: PLUGINS_DIR, enable: { finder: true } });
  }, 60_000);

  afterAll(async () => {
    await bed?.close();
    rmSync(PLUGINS_DIR, { recursive: true, force: true });
  });

  it('indexes, finds only the asker’s records, and highlights the matches', async () => {
    bed.push('/keep Tomatoes grow best in warm gardens');
    expect(await bed.popText()).toBe('kept 1');
    bed.push('/keep Onions keep for months');
    expect(await bed.popText()).toBe('kept 2');
    bed.push('/keep My tomato soup recipe', { id: 2002, first_name: 'Other' });
    expect(await bed.popText({ userId: 2002 })).toBe('kept 1');
    bed.push('/find tomatoes gard');
    expect(await bed.popText()).toBe('<Tomatoes> grow best in warm <gardens>');
    bed.push('/find soup');
    expect(await bed.popText()).toBe('nothing');
    bed.push('/find soup', { id: 2002, first_name: 'Other' });
    expect(await bed.popText({ userId: 2002 })).toBe('My tomato <soup> recipe');
  });

  it('keeps the records while the plugin is off', async () => {
    await bed.platform.plugins.setEnabled('finder', false);
    await bed.platform.plugins.setEnabled('finder', true);
    bed.push('/find onions');
    expect(await bed.popText()).toBe('<Onions> keep for months');
  });
});
