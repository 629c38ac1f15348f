// Downloads of the files users send (ctx.files), as a bot downloads them: getFile through the bot's
// Bot API client, then the bytes from <api root>/file/bot<token>/<file_path>. The size getFile gives
// refuses a file over the limit without reading it; the body is read as it streams in, and the
// connection dropped as soon as it passes the limit, so that no more is ever held in memory.
import { type Api, GrammyError } from 'grammy';
import { z } from 'zod';
import { OmniError } from '../../errors.js';
import { byteSize } from '../../lib/byte-size.js';
import type { DownloadedFile, PluginFiles } from '../api-content.js';

/** What Telegram lets bots download, and so the default and the most a download may ask for. */
export const MAX_DOWNLOAD_BYTES = 20 * 2 ** 20;
const DOWNLOAD_TIMEOUT_MS = 60_000;

const downloadOptions = z
  .object({ maxBytes: z.number().int().min(1).max(MAX_DOWNLOAD_BYTES).default(MAX_DOWNLOAD_BYTES) })
  .strict();
/** The part of getFile's File a download needs; file_path is absent when Telegram cannot serve the file. */
const described = z.object({ file_path: z.string().min(1), file_size: z.number().int().min(0).optional() });

export interface FilesOptions {
  /** The bot's client: getFile goes through its throttle and retries. */
  api: Api;
  /** The Bot API root the bot calls; a function where it is known only once our server listens (the emulator). */
  apiRoot: string | (() => string);
  timeoutMs?: number;
}

export function pluginFiles({ api, apiRoot, timeoutMs = DOWNLOAD_TIMEOUT_MS }: FilesOptions): PluginFiles {
  const root = typeof apiRoot === 'string' ? () => apiRoot : apiRoot;
  return {
    async download(fileId, options): Promise<DownloadedFile> {
      const parsed = downloadOptions.safeParse(options ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new TypeError(`files.download options: ${issue?.path.join('.')} ${issue?.message}`);
      }
      const { maxBytes } = parsed.data;
      const file = await describe(api, fileId);
      const tooLarge = (what: string) =>
        new OmniError('FILE_TOO_LARGE', `${file.file_path} ${what}; the limit is ${byteSize(maxBytes)}`);
      if (file.file_size !== undefined && file.file_size > maxBytes)
        throw tooLarge(`holds ${byteSize(file.file_size)}`);
      const url = `${root()}/file/bot${api.token}/${file.file_path}`;
      const failed = (why: string) => new OmniError('FILE_DOWNLOAD_FAILED', `${file.file_path}: ${why}`);
      const abort = new AbortController();
      const signal = AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]);
      try {
        // The URL holds the bot's token: no message here may quote it, nor the errors that do.
        const response = await fetch(url, { signal }).catch((error: unknown) => {
          throw failed(reason(error, timeoutMs));
        });
        if (!response.ok || !response.body) throw failed(`HTTP ${response.status}`);
        const declared = Number(response.headers.get('content-length') ?? Number.NaN);
        if (declared > maxBytes) throw tooLarge(`is sent as ${byteSize(declared)}`);
        const chunks: Buffer[] = [];
        let received = 0;
        try {
          for await (const chunk of response.body) {
            received += chunk.byteLength;
            if (received > maxBytes) throw tooLarge(`sent more than ${byteSize(maxBytes)}`);
            chunks.push(Buffer.from(chunk));
          }
        } catch (error) {
          if (error instanceof OmniError) throw error;
          throw failed(`the body broke off: ${reason(error, timeoutMs)}`);
        }
        return { bytes: Buffer.concat(chunks, received), path: file.file_path };
      } finally {
        // Whatever is still on its way (a refused body's rest) is not read.
        abort.abort();
      }
    },
  };
}

async function describe(api: Api, fileId: string): Promise<z.infer<typeof described>> {
  let file: unknown;
  try {
    file = await api.getFile(fileId);
  } catch (error) {
    if (error instanceof GrammyError && /file is too big/i.test(error.description)) {
      throw new OmniError('FILE_TOO_LARGE', `Telegram serves bots files of up to ${byteSize(MAX_DOWNLOAD_BYTES)}`);
    }
    const why = error instanceof GrammyError ? error.description : (error as Error).message;
    throw new OmniError('FILE_DOWNLOAD_FAILED', `getFile: ${why}`);
  }
  const parsed = described.safeParse(file);
  if (!parsed.success) throw new OmniError('FILE_DOWNLOAD_FAILED', 'getFile gave no file_path to download from');
  return parsed.data;
}

function reason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  return cause ?? (error as Error).name;
}
