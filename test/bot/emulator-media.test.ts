// Photos and documents through the emulator with grammY's real Api: uploads as multipart/form-data
// (as grammY sends an InputFile, and as a browser's FormData does), file_ids and URLs, getFile and
// the download URL, albums, media edits, and Telegram's refusals for each.
import { createServer, type Server } from 'node:http';
import { InputFile } from 'grammy';
import type { InputMediaPhoto, Message, User } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { EMULATOR_PREFIX } from '../../src/bot/emulator/routes.js';
import { telegramError, useEmulatorServer } from '../support/emulator-server.js';
import { png } from '../support/images.js';
import { closeServer, listenLocally } from '../support/local-server.js';

const ADA: User = { id: 501, is_bot: false, first_name: 'Ada' };

const server = useEmulatorServer(ADA);

/** Downloads a file the way a bot does: getFile, then GET /file/bot<token>/<file_path>. */
async function download(fileId: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const file = await server.api.getFile(fileId);
  const response = await fetch(`${server.base}${EMULATOR_PREFIX}/file/bot${server.emulator.token}/${file.file_path}`);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

describe('sending photos', () => {
  it('takes an uploaded photo, reads its size, and serves the same bytes back through getFile', async () => {
    const image = png(640, 480);
    const sent = await server.api.sendPhoto(ADA.id, new InputFile(image, 'sunset.png'), { caption: 'Sunset' });
    expect(sent.caption).toBe('Sunset');
    const [size] = sent.photo;
    expect(size).toMatchObject({ width: 640, height: 480, file_size: image.length });
    expect(size?.file_id).toMatch(/^AgAC/);

    const file = await server.api.getFile(size?.file_id as string);
    expect(file).toMatchObject({ file_unique_id: size?.file_unique_id, file_size: image.length });
    expect(file.file_path).toMatch(/^photos\/file_\d+\.png$/);
    const downloaded = await download(size?.file_id as string);
    expect(downloaded).toMatchObject({ status: 200, type: 'image/png' });
    expect(downloaded.bytes.equals(image)).toBe(true);

    // Sent again by file_id, it is the same file.
    const again = await server.api.sendPhoto(ADA.id, size?.file_id as string);
    expect(again.photo[0]?.file_unique_id).toBe(size?.file_unique_id);
  });

  it('takes a photo uploaded by a standard multipart form under the parameter’s own name', async () => {
    const form = new FormData();
    form.set('chat_id', String(ADA.id));
    form.set('caption', 'from a form');
    form.set('photo', new Blob([png(20, 10)]), 'tiny.png');
    const response = await fetch(`${server.base}${EMULATOR_PREFIX}/bot${server.emulator.token}/sendPhoto`, {
      method: 'POST',
      body: form,
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { ok: boolean; result: Message.PhotoMessage };
    expect(answer.result).toMatchObject({ caption: 'from a form', photo: [{ width: 20, height: 10 }] });
  });

  it('fetches a photo given as a URL, and refuses a URL that does not answer', async () => {
    const image = png(50, 40);
    const web: Server = createServer((request, response) => {
      if (request.url === '/cat.png') response.writeHead(200, { 'content-type': 'image/png' }).end(image);
      else response.writeHead(404).end();
    });
    const origin = await listenLocally(web);
    try {
      const sent = await server.api.sendPhoto(ADA.id, `${origin}/cat.png`);
      expect(sent.photo[0]).toMatchObject({ width: 50, height: 40, file_size: image.length });
      await expect(server.api.sendPhoto(ADA.id, `${origin}/missing.png`)).rejects.toMatchObject(
        telegramError(400, 'Bad Request: failed to get HTTP URL content'),
      );
    } finally {
      await closeServer(web);
    }
  });

  it('refuses what is not a photo, an unknown file_id, a document’s file_id, an empty file and a long caption', async () => {
    const document = await server.api.sendDocument(ADA.id, new InputFile(Buffer.from('%PDF-1.4'), 'terms.pdf'));
    const refusals: [Promise<unknown>, string][] = [
      [server.api.sendPhoto(ADA.id, new InputFile(Buffer.from('not an image'))), 'Bad Request: IMAGE_PROCESS_FAILED'],
      [server.api.sendPhoto(ADA.id, new InputFile(png(9000, 2000))), 'Bad Request: PHOTO_INVALID_DIMENSIONS'],
      [server.api.sendPhoto(ADA.id, 'AgACnot-a-real-id'), 'Bad Request: wrong file identifier/HTTP URL specified'],
      [
        server.api.sendPhoto(ADA.id, document.document.file_id),
        "Bad Request: can't use file of type Document as Photo",
      ],
      [
        server.api.sendDocument(ADA.id, new InputFile(Buffer.alloc(0), 'empty.txt')),
        'Bad Request: file must be non-empty',
      ],
      [
        server.api.sendPhoto(ADA.id, new InputFile(png(10, 10)), { caption: 'x'.repeat(1025) }),
        'Bad Request: message caption is too long',
      ],
      [server.api.getFile('BQACunknown'), 'Bad Request: invalid file_id'],
    ];
    for (const [call, description] of refusals)
      await expect(call).rejects.toMatchObject(telegramError(400, description));
    // Nothing refused reached the chat: only the document did.
    expect(server.emulator.transcript(ADA.id).messages.filter((message) => message.from?.is_bot)).toHaveLength(1);
  });
});

describe('sending documents', () => {
  it('keeps the file name, finds the MIME type from it, and serves the bytes', async () => {
    const data = Buffer.from('name,stars\nAda,5\n');
    const sent = await server.api.sendDocument(ADA.id, new InputFile(data, 'report.csv'), { caption: 'Weekly' });
    expect(sent.document).toMatchObject({ file_name: 'report.csv', mime_type: 'text/csv', file_size: data.length });
    expect(sent.document.file_id).toMatch(/^BQAC/);
    const downloaded = await download(sent.document.file_id);
    expect(downloaded.type).toBe('text/csv');
    expect(downloaded.bytes.toString()).toBe(data.toString());
  });

  it('refuses a download with a wrong token or path as Telegram does', async () => {
    const sent = await server.api.sendDocument(ADA.id, new InputFile(Buffer.from('x'), 'x.txt'));
    const { file_path: filePath } = await server.api.getFile(sent.document.file_id);
    const wrongToken = await fetch(`${server.base}${EMULATOR_PREFIX}/file/bot1:nope/${filePath}`);
    expect(wrongToken.status).toBe(401);
    const wrongPath = await fetch(
      `${server.base}${EMULATOR_PREFIX}/file/bot${server.emulator.token}/documents/none.txt`,
    );
    expect(wrongPath.status).toBe(404);
    expect(await wrongPath.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
  });
});

describe('albums', () => {
  it('sends up to ten photos as messages sharing one media_group_id, each with its own caption', async () => {
    const sent = await server.api.sendMediaGroup(ADA.id, [
      { type: 'photo', media: new InputFile(png(30, 20)), caption: 'first' },
      { type: 'photo', media: new InputFile(png(20, 30)) },
    ]);
    expect(sent).toHaveLength(2);
    const [first, second] = sent as [Message.PhotoMessage, Message.PhotoMessage];
    expect(first.media_group_id).toBeDefined();
    expect(second.media_group_id).toBe(first.media_group_id);
    expect(first.caption).toBe('first');
    expect(second.photo[0]).toMatchObject({ width: 20, height: 30 });
    expect(second.message_id).toBe(first.message_id + 1);
  });

  it('refuses an empty album, eleven items, documents mixed with photos and a missing part', async () => {
    const photo = { type: 'photo' as const, media: 'attach://nowhere' };
    const document = await server.api.sendDocument(ADA.id, new InputFile(Buffer.from('a'), 'a.txt'));
    const refusals: [Promise<unknown>, string][] = [
      [server.api.sendMediaGroup(ADA.id, []), 'Bad Request: there are no messages to send'],
      [server.api.sendMediaGroup(ADA.id, Array(11).fill(photo)), 'Bad Request: too many messages to send as an album'],
      [
        // grammY's types forbid the mix; a bot in plain JavaScript can still send it.
        server.api.sendMediaGroup(ADA.id, [
          { type: 'photo', media: new InputFile(png(5, 5)) },
          { type: 'document', media: document.document.file_id },
        ] as unknown as InputMediaPhoto[]),
        "Bad Request: document can't be mixed with other media types",
      ],
      [server.api.sendMediaGroup(ADA.id, [photo, photo]), "Bad Request: can't parse InputMedia: media not found"],
    ];
    for (const [call, description] of refusals)
      await expect(call).rejects.toMatchObject(telegramError(400, description));
  });
});

describe('editing media and captions', () => {
  it('replaces a photo with another, edits the caption, and refuses an edit that changes nothing', async () => {
    const sent = await server.api.sendPhoto(ADA.id, new InputFile(png(10, 10)), { caption: 'before' });
    const replaced = await server.api.editMessageMedia(ADA.id, sent.message_id, {
      type: 'photo',
      media: new InputFile(png(100, 50)),
      caption: 'after',
    });
    expect(replaced).toMatchObject({
      message_id: sent.message_id,
      caption: 'after',
      photo: [{ width: 100, height: 50 }],
    });
    expect((replaced as Message).edit_date).toBeDefined();

    const fileId = (replaced as Message.PhotoMessage).photo[0]?.file_id as string;
    await expect(
      server.api.editMessageMedia(ADA.id, sent.message_id, { type: 'photo', media: fileId, caption: 'after' }),
    ).rejects.toMatchObject(telegramError(400, /message is not modified/));

    const captioned = await server.api.editMessageCaption(ADA.id, sent.message_id, { caption: 'final' });
    expect(captioned).toMatchObject({ caption: 'final', photo: [{ file_id: fileId }] });
    await expect(server.api.editMessageCaption(ADA.id, sent.message_id, { caption: 'final' })).rejects.toMatchObject(
      telegramError(400, /message is not modified/),
    );
    const text = await server.api.sendMessage(ADA.id, 'plain');
    await expect(
      server.api.editMessageMedia(ADA.id, text.message_id, { type: 'photo', media: fileId }),
    ).rejects.toMatchObject(telegramError(400, 'Bad Request: there is no media in the message to edit'));
    await expect(server.api.editMessageCaption(ADA.id, 9999, { caption: 'x' })).rejects.toMatchObject(
      telegramError(400, 'Bad Request: message to edit not found'),
    );
  });
});

describe('users sending files', () => {
  it('hands the bot a user’s photo and document, which it can fetch and send on by file_id', async () => {
    await server.takeUpdates();
    const image = png(64, 48);
    server.emulator.media.sendPhoto(ADA, image, { caption: 'my cat' });
    server.emulator.media.sendDocument(ADA, Buffer.from('{"a":1}'), 'data.json');
    const [photo, document] = await server.takeUpdates();
    expect(photo?.message).toMatchObject({
      caption: 'my cat',
      from: { id: ADA.id },
      photo: [{ width: 64, height: 48 }],
    });
    expect(document?.message?.document).toMatchObject({ file_name: 'data.json', mime_type: 'application/json' });

    const fileId = photo?.message?.photo?.[0]?.file_id as string;
    expect((await download(fileId)).bytes.equals(image)).toBe(true);
    const echoed = await server.api.sendPhoto(ADA.id, fileId);
    expect(echoed.photo[0]?.file_unique_id).toBe(photo?.message?.photo?.[0]?.file_unique_id);
  });
});
