// How blob bytes are compressed and read back, per codec, on libuv's thread pool (zlib's async
// functions) so that a 20 MiB put does not hold the event loop. Reading never produces more than
// the limit it is given: zlib stops and fails at `maxOutputLength`, whatever the stored bytes say.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { BlobCodec } from '../api-content.js';

/**
 * Measured on the READMEs under node_modules (2.3 MiB; bench/blobs.ts): each file on its own,
 * quality 5 compresses 3.3× at ~17 MB/s, 4 gives 3.1× (gzip's ratio) at ~23 MB/s, 6–9 gain nothing
 * and 11 reaches 3.7× at 0.4 MB/s. All as one 2 MiB text, 5 gives 4.0× against 4's 3.7×, at ~3/4 of
 * its speed. So 5: 6–12% smaller than gzip's output (3.1×, 3.5×), at a speed a thread-pool thread can give.
 */
export const BROTLI_QUALITY = 5;

const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);
const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export async function compress(bytes: Buffer, codec: BlobCodec): Promise<Buffer> {
  switch (codec) {
    case 'br':
      return brotliCompress(bytes, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      });
    case 'gzip':
      return gzip(bytes);
    case 'none':
      return bytes;
  }
}

/** Thrown when the stored bytes would decompress to more than `limit`. */
export class OverLimitError extends Error {}

/** The stored bytes decompressed, failing with OverLimitError past `limit` bytes (held in memory at most once). */
export async function decompress(stored: Buffer, codec: BlobCodec, limit: number): Promise<Buffer> {
  if (codec === 'none') {
    if (stored.length > limit) throw new OverLimitError();
    return stored;
  }
  // zlib refuses a maxOutputLength of 0; an empty blob allows 1 byte and is checked by its caller.
  const options = { maxOutputLength: Math.max(1, limit) };
  try {
    return await (codec === 'br' ? brotliDecompress(stored, options) : gunzip(stored, options));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new OverLimitError();
    throw error;
  }
}
