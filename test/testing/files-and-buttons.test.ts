// The test bed driving a plugin that works with files and inline buttons (test/fixtures/plugins/
// gallery): the bot's photo with its keyboard, a button press and its answer, a document whose
// bytes are downloaded, photos and documents sent by the user, and an album of their file_ids.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPluginTestBed, type PluginTestBed } from 'omnicore/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { png } from '../support/images.js';

const PLUGINS = fileURLToPath(new URL('../fixtures/plugins/', import.meta.url));
const CAT = readFileSync(new URL('../fixtures/plugins/gallery/cat.png', import.meta.url));

describe('a plugin sending and keeping files', () => {
  let bed: PluginTestBed;

  beforeAll(async () => {
    bed = await createPluginTestBed({ pluginsDir: PLUGINS, enable: { gallery: true } });
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('sends a photo with buttons; a press is answered, and the document it sends downloads intact', async () => {
    bed.push('/cat');
    const photo = await bed.pop();
    expect(photo.caption).toBe('A cat');
    expect(photo.photo?.[0]).toMatchObject({ width: 48, height: 32, file_size: CAT.length });
    expect(photo.reply_markup?.inline_keyboard[0]?.map((button) => button.text)).toEqual(['As a file', 'Rename']);

    expect(await bed.press(photo, 'As a file')).toEqual({ text: 'Sending the original' });
    const document = await bed.pop();
    expect(document).toMatchObject({
      caption: 'The original',
      document: { file_name: 'cat.png', mime_type: 'image/png' },
    });
    expect((await bed.download(document.document as { file_id: string })).equals(CAT)).toBe(true);

    expect(await bed.press(photo, 'cat:rename')).toEqual({});
    const renamed = await bed.pop();
    expect(renamed).toMatchObject({
      message_id: photo.message_id,
      caption: 'Still a cat',
      edit_date: expect.any(Number),
    });
    await expect(bed.press(photo, 'Delete')).rejects.toThrow('no callback button "Delete" on message');
  });

  it('measures and keeps the user’s photos, reads their documents, and sends the photos back as an album', async () => {
    bed.pushPhoto(png(64, 48));
    expect(await bed.popText()).toBe('Kept your 64×48 photo (1 in all).');
    bed.push('/album');
    expect(await bed.popText()).toBe('Send me two photos first.');
    bed.pushPhoto(png(30, 40), { caption: 'second' });
    expect(await bed.popText()).toBe('Kept your 30×40 photo (2 in all).');

    bed.push('/album');
    const first = await bed.pop();
    const second = await bed.pop();
    expect(first.media_group_id).toEqual(expect.any(String));
    expect(second.media_group_id).toBe(first.media_group_id);
    expect([first.photo?.[0]?.width, second.photo?.[0]?.width]).toEqual([64, 30]);

    bed.pushDocument(Buffer.from('hello'), 'hello.txt', { user: { id: 2002, first_name: 'Other' } });
    expect(await bed.popText({ userId: 2002 })).toBe('Got hello.txt, 5 bytes.');
  });
});
