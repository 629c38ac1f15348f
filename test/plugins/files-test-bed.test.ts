// ctx.files and ctx.blobs in a running platform, driven through the omnicore/testing test bed: a
// plugin (written as an operator's would be, importing omnicore/plugin) downloads the documents
// users send from the built-in emulator's Bot API and keeps them as blobs. One over the plugin's
// maxBytes is refused with the limit named, as is one over what Telegram serves bots (20 MiB).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';

const PLUGINS_DIR = fileURLToPath(new URL(`../../test-results/files-test-bed-${process.pid}/`, import.meta.url));

const KEEPER = `import { definePlugin } from 'omnicore/plugin';

export default definePlugin({
  name: 'keeper',
  version: '1.0.0',
  description: 'Keeps the documents users send',
  platform: '*',
  setup(ctx) {
    ctx.composer.on('message:document', async (c) => {
      try {
        const file = await ctx.files.download(c.message.document.file_id, { maxBytes: 64 * 1024 });
        const blob = await ctx.blobs.put(file.bytes);
        await c.reply('Kept ' + file.path + ': ' + blob.size + ' bytes as ' + blob.codec + ' (' + blob.storedSize + '), ' + blob.hash);
      } catch (error) {
        await c.reply('Refused: ' + error.code + ': ' + error.message);
      }
    });
    ctx.command('show', 'Shows a kept document', async (c) =>
      c.reply((await ctx.blobs.get(c.match))?.toString('utf8') ?? 'No such document'),
    );
  },
});
`;

let bed: PluginTestBed;

beforeAll(async () => {
  mkdirSync(path.join(PLUGINS_DIR, 'keeper'), { recursive: true });
  writeFileSync(path.join(PLUGINS_DIR, 'keeper', 'index.mjs'), KEEPER);
  bed = await createPluginTestBed({ pluginsDir: PLUGINS_DIR, enable: { keeper: true } });
});

afterAll(async () => {
  await bed?.close();
  rmSync(PLUGINS_DIR, { recursive: true, force: true });
});

it('downloads a document a user sent and keeps it compressed, to show it again', async () => {
  const text = Array.from({ length: 40 }, (_, index) => `Minutes of meeting ${index + 1}: nothing was decided.`).join(
    '\n',
  );
  bed.pushDocument(Buffer.from(text), 'minutes.txt');
  const kept = await bed.popText();
  const match = /^Kept (documents\/\S+\.txt): (\d+) bytes as br \((\d+)\), ([0-9a-f]{64})$/.exec(kept);
  expect(match, kept).not.toBeNull();
  const [, , size, stored, hash] = match as RegExpExecArray;
  expect(Number(size)).toBe(text.length);
  expect(Number(stored)).toBeLessThan(text.length / 10);
  bed.push(`/show ${hash}`);
  expect(await bed.popText()).toBe(text);
});

it('refuses a document over the plugin’s maxBytes, and one over what Telegram serves bots, naming the limit', async () => {
  bed.pushDocument(Buffer.alloc(64 * 1024 + 1, 'x'), 'big.txt');
  expect(await bed.popText()).toMatch(
    /^Refused: FILE_TOO_LARGE: the file is over the download limit: documents\/\S+ holds 65537 bytes; the limit is 65536 bytes$/,
  );
  bed.pushDocument(Buffer.alloc(20 * 2 ** 20 + 1, 'x'), 'huge.bin');
  expect(await bed.popText()).toMatch(/^Refused: FILE_TOO_LARGE: .*up to 20971520 bytes \(20 MiB\)$/);
});
