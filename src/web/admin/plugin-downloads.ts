// A file a plugin's admin route answers with (AdminCall.download): checked when the plugin makes it,
// sent with a safe content-disposition; a body stream that fails ends the response and is charged to
// the plugin, as any failure of its handler is.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { attachmentDisposition } from '../../lib/content-disposition.js';
import type { AdminDownload } from '../../plugins/api.js';

/** type/subtype with optional token parameters (RFC 9110): nothing that could end the header. */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w!#$&^.+-]+=[\w!#$&^.+-]+)*$/;

class PluginDownload implements AdminDownload {
  constructor(
    readonly fileName: string,
    readonly body: Buffer | Readable,
    readonly type: string,
  ) {}
}

/** What `call.download` makes; throws (the plugin's failure) on a body or type it cannot send. */
export function pluginDownload(
  fileName: unknown,
  body: unknown,
  type: unknown = 'application/octet-stream',
): AdminDownload {
  if (typeof fileName !== 'string') throw new TypeError('download(fileName, …): the file name is a string');
  if (!(Buffer.isBuffer(body) || body instanceof Readable)) {
    throw new TypeError('download(…, body): the body is a Buffer or a Readable');
  }
  if (typeof type !== 'string' || type.length > 200 || !MEDIA_TYPE.test(type)) {
    throw new TypeError(`download(…, type): "${String(type).slice(0, 200)}" is not a media type`);
  }
  return new PluginDownload(fileName, body, type);
}

export function isPluginDownload(value: unknown): value is AdminDownload {
  return value instanceof PluginDownload;
}

/**
 * The download ready to send: a stream's first chunk already read, so that a stream failing before
 * any byte is the handler's failure (a plain 500, headers untouched); one failing later ends the
 * response early and is `charge`d. A client that goes away is nobody's failure.
 */
export async function readyToSend(download: AdminDownload, charge: (error: unknown) => void): Promise<AdminDownload> {
  const { body } = download;
  if (Buffer.isBuffer(body)) return download;
  const chunks = body[Symbol.asyncIterator]();
  const first = await chunks.next();
  async function* rest() {
    try {
      if (first.done) return;
      yield first.value;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    } catch (error) {
      charge(error);
      throw error;
    } finally {
      await chunks.return?.();
    }
  }
  return new PluginDownload(download.fileName, Readable.from(rest(), { objectMode: false }), download.type);
}

/** Sends the file, with headers that keep the browser from running or caching it. */
export function sendDownload(reply: FastifyReply, download: AdminDownload): FastifyReply {
  return reply
    .header('content-type', download.type)
    .header('content-disposition', attachmentDisposition(download.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(download.body);
}
