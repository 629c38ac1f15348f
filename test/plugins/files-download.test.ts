// ctx.files against a Bot API over real HTTP (a small server speaking Telegram's wire format for
// getFile and /file/bot<token>/<path>), through grammY's client: a file downloads whole; one whose
// size getFile gives as over the limit is refused without its URL being asked for; a body that
// keeps coming past the limit is dropped as soon as it passes it; HTTP errors and getFile's
// refusals are named, and no message quotes the token.
import { createServer, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Api } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PluginFiles } from '../../src/plugins/api-content.js';
import { MAX_DOWNLOAD_BYTES, pluginFiles } from '../../src/plugins/files/plugin-files.js';
import { closeServer, listenLocally } from '../support/local-server.js';

const TOKEN = '123456789:FILES-token-abcdefghijklmnopqrstuvwxyz';
const CONTENT = Buffer.from('the bytes of a document a user sent\n'.repeat(100));

interface FakeFile {
  path?: string;
  /** What getFile says; absent when Telegram does not know it. */
  size?: number;
  /** How the file URL answers. */
  serve?: (response: ServerResponse) => void | Promise<void>;
  /** getFile's refusal instead of a File. */
  refuse?: string;
}

describe('downloading users’ files through the Bot API', () => {
  const files = new Map<string, FakeFile>();
  /** Paths asked for under /file/, and how many body bytes each was sent before it ended or was dropped. */
  const fetched: { path: string; written: number }[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (method?.[1] === TOKEN && method[2] === 'getFile') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const fileId = String((JSON.parse(body || '{}') as { file_id?: unknown }).file_id);
        const file = files.get(fileId);
        const answer = !file
          ? { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }
          : file.refuse
            ? { ok: false, error_code: 400, description: file.refuse }
            : {
                ok: true,
                result: {
                  file_id: fileId,
                  file_unique_id: `u-${fileId}`,
                  ...(file.size === undefined ? {} : { file_size: file.size }),
                  ...(file.path ? { file_path: file.path } : {}),
                },
              };
        response.writeHead(answer.ok ? 200 : 400, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
      return;
    }
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    const file = [...files.values()].find((candidate) => candidate.path === download?.[2]);
    if (download?.[1] !== TOKEN || !file?.serve) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
      return;
    }
    const record = { path: file.path as string, written: 0 };
    fetched.push(record);
    const write = response.write.bind(response);
    response.write = ((chunk: Buffer, ...rest: never[]) => {
      record.written += chunk.length;
      return write(chunk, ...rest);
    }) as typeof response.write;
    void file.serve(response);
  });
  let api: Api;
  let downloads: PluginFiles;

  beforeAll(async () => {
    const root = await listenLocally(server);
    api = new Api(TOKEN, { apiRoot: root });
    downloads = pluginFiles({ api, apiRoot: root, timeoutMs: 5000 });
  });

  afterEach(() => {
    files.clear();
    fetched.length = 0;
  });

  afterAll(async () => {
    await closeServer(server);
  });

  const whole = (bytes: Buffer) => (response: ServerResponse) => {
    response.writeHead(200, { 'content-length': String(bytes.length) });
    response.write(bytes);
    response.end();
  };

  /** Sends 64 KiB pieces, without a length, until 64 MiB are out or the client goes away. */
  const endless = async (response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    const piece = Buffer.alloc(64 * 1024, 1);
    function* pieces() {
      for (let sent = 0; sent < 64 * 2 ** 20; sent += piece.length) yield piece;
    }
    // The client dropping the connection ends the pipeline early; that is the point.
    await pipeline(Readable.from(pieces()), response).catch(() => undefined);
  };

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught as Error & { code?: string },
    );
    expect(error).toBeDefined();
    expect(error?.message).not.toContain(TOKEN);
    return { code: error?.code, message: error?.message };
  };

  it('downloads a file whole, with its path', async () => {
    files.set('doc-1', { path: 'documents/file_0.txt', size: CONTENT.length, serve: whole(CONTENT) });
    const file = await downloads.download('doc-1');
    expect(file.path).toBe('documents/file_0.txt');
    expect(file.bytes.equals(CONTENT)).toBe(true);
    // Exactly the limit is allowed.
    expect((await downloads.download('doc-1', { maxBytes: CONTENT.length })).bytes.length).toBe(CONTENT.length);
  });

  it('refuses a file getFile says is over the limit without asking for its bytes', async () => {
    files.set('big', { path: 'documents/big.bin', size: 5000, serve: whole(Buffer.alloc(5000)) });
    expect(await refusal(downloads.download('big', { maxBytes: 4999 }))).toEqual({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/documents\/big\.bin holds 5000 bytes; the limit is 4999 bytes$/),
    });
    expect(fetched).toEqual([]);
  });

  it('refuses a body announced as larger than the limit before reading it', async () => {
    files.set('long', { path: 'documents/long.bin', serve: whole(Buffer.alloc(3 * 2 ** 20)) });
    expect(await refusal(downloads.download('long', { maxBytes: 2 ** 20 }))).toEqual({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/is sent as 3145728 bytes \(3 MiB\); the limit is 1048576 bytes \(1 MiB\)$/),
    });
  });

  it('drops a body that keeps coming as soon as it passes the limit', async () => {
    // No size from getFile, no length on the body: only counting what arrives can stop it.
    files.set('stream', { path: 'documents/stream.bin', serve: endless });
    expect(await refusal(downloads.download('stream', { maxBytes: 2 ** 20 }))).toEqual({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/sent more than 1048576 bytes \(1 MiB\)/),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // What the sockets' buffers hold beyond the limit, not the 64 MiB the server had to send.
    expect(fetched[0]?.written).toBeGreaterThan(2 ** 20);
    expect(fetched[0]?.written).toBeLessThan(16 * 2 ** 20);
  });

  it('names an HTTP error of the file URL, and getFile’s refusals', async () => {
    files.set('gone', { path: 'documents/gone.pdf', size: 10 });
    expect(await refusal(downloads.download('gone'))).toEqual({
      code: 'FILE_DOWNLOAD_FAILED',
      message: expect.stringMatching(/documents\/gone\.pdf: HTTP 404$/),
    });
    expect(await refusal(downloads.download('unknown'))).toEqual({
      code: 'FILE_DOWNLOAD_FAILED',
      message: expect.stringMatching(/getFile: Bad Request: invalid file_id$/),
    });
    files.set('huge', { refuse: 'Bad Request: file is too big' });
    expect(await refusal(downloads.download('huge'))).toEqual({
      code: 'FILE_TOO_LARGE',
      message: expect.stringMatching(/up to 20971520 bytes \(20 MiB\)$/),
    });
    files.set('pathless', { size: 10 });
    expect(await refusal(downloads.download('pathless'))).toEqual({
      code: 'FILE_DOWNLOAD_FAILED',
      message: expect.stringMatching(/no file_path/),
    });
  });

  it('names a file URL that answers too slowly', async () => {
    const slow = pluginFiles({ api, apiRoot: api.options?.apiRoot as string, timeoutMs: 300 });
    files.set('slow', { path: 'documents/slow.txt', serve: () => undefined });
    expect(await refusal(slow.download('slow'))).toEqual({
      code: 'FILE_DOWNLOAD_FAILED',
      message: expect.stringMatching(/documents\/slow\.txt: no answer within 300 ms$/),
    });
  });

  it('refuses limits outside 1 byte to 20 MiB', async () => {
    await expect(downloads.download('doc-1', { maxBytes: 0 })).rejects.toThrow(/files\.download options: maxBytes/);
    await expect(downloads.download('doc-1', { maxBytes: MAX_DOWNLOAD_BYTES + 1 })).rejects.toThrow(TypeError);
  });
});
