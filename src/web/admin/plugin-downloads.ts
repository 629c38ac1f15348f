// A file a plugin's admin route answers with (AdminCall.download): checked when the plugin makes it,
// sent with a safe content-disposition; a body stream that fails part-way ends the response and is
// charged to the plugin, as any failure of its handler is.
import { PassThrough, pipeline, Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { attachmentDisposition } from '../../lib/content-disposition.js';
import type { AdminDownload } from '../../plugins/api.js';
import type { AdminServices } from './services.js';

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

/** Sends the file; a stream's failure ends the response early and is charged to `plugin`. */
export function sendDownload(
  services: AdminServices,
  reply: FastifyReply,
  plugin: string,
  download: AdminDownload,
): FastifyReply {
  reply
    .header('content-type', download.type)
    .header('content-disposition', attachmentDisposition(download.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store');
  if (Buffer.isBuffer(download.body)) return reply.send(download.body);
  // Through a stream of our own: the plugin's error is seen here (and charged) before it ends the response.
  const relay = new PassThrough();
  pipeline(download.body, relay, (error) => {
    if (!error) return;
    services.plugins.charge(plugin, error).catch((chargeError: unknown) => {
      reply.log.warn({ err: chargeError }, 'could not charge the plugin');
    });
  });
  return reply.send(relay);
}
