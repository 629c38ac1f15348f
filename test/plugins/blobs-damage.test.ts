// A damaged blob row is refused, never read into memory unbounded: stored bytes replaced by a
// brotli bomb (1 GiB of zeros) stop decompressing at the recorded size, a size raised to match
// is still capped at what any blob may hold, and content that is not what its name says (another
// SHA-256) or that does not decompress is refused too. On SQLite and PostgreSQL.
import { once } from 'node:events';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PluginBlobs } from '../../src/plugins/api-content.js';
import { MAX_BLOB_BYTES, pluginBlobs } from '../../src/plugins/blobs/plugin-blobs.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const GIB = 2 ** 30;

/** 1 GiB of zeros through brotli, fed in 1 MiB pieces so that the test never holds the gigabyte. */
async function brotliBomb(): Promise<Buffer> {
  const compressor = zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } });
  const parts: Buffer[] = [];
  compressor.on('data', (part: Buffer) => parts.push(part));
  const zeros = Buffer.alloc(2 ** 20);
  for (let written = 0; written < GIB; written += zeros.length) {
    if (!compressor.write(zeros)) await once(compressor, 'drain');
  }
  compressor.end();
  await once(compressor, 'end');
  return Buffer.concat(parts);
}

describe.each(DATABASE_KINDS)('damaged blobs on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);
  let blobs: PluginBlobs;
  let bomb: Buffer;

  beforeAll(async () => {
    blobs = pluginBlobs(fixture.handle.db, 'victim');
    bomb = await brotliBomb();
  });

  const tamper = (hash: string, change: { bytes?: Buffer; size?: number; codec?: 'br' | 'gzip' | 'none' }) =>
    fixture.handle.db
      .updateTable('plugin_blobs')
      .set(change)
      .where('plugin', '=', 'victim')
      .where('hash', '=', hash)
      .execute();

  /**
   * Runs `read` and says how much the memory grew meanwhile, at its peak: the resident set, and the
   * buffers (which show the growth even when an earlier test left the resident set large).
   */
  const memoryGrowth = async (read: () => Promise<unknown>) => {
    const before = process.memoryUsage();
    const peak = { rss: before.rss, arrayBuffers: before.arrayBuffers };
    const sample = () => {
      const now = process.memoryUsage();
      peak.rss = Math.max(peak.rss, now.rss);
      peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
    };
    const sampler = setInterval(sample, 5);
    try {
      await read();
    } finally {
      clearInterval(sampler);
      sample();
    }
    return { rss: peak.rss - before.rss, buffers: peak.arrayBuffers - before.arrayBuffers };
  };

  it('stops a bomb in place of the stored bytes at the recorded size, with bounded memory', async () => {
    expect(bomb.length).toBeLessThan(1_000_000);
    const { hash } = await blobs.put('a small note, soon to be replaced');
    await tamper(hash, { bytes: bomb, codec: 'br' });
    let error: unknown;
    const growth = await memoryGrowth(() => blobs.get(hash).catch((caught: unknown) => (error = caught)));
    expect(error).toMatchObject({
      code: 'BLOB_CORRUPT',
      message: expect.stringMatching(/holds more than the 33 bytes recorded/),
    });
    // A little more than the bomb itself: PostgreSQL's driver reads it as hex first.
    expect(growth.rss).toBeLessThan(64 * 2 ** 20);
    expect(growth.buffers).toBeLessThan(16 * 2 ** 20);
  });

  it('caps a size raised to match the bomb at what any blob holds', async () => {
    const { hash } = await blobs.put('another note');
    await tamper(hash, { bytes: bomb, codec: 'br', size: GIB });
    await expect(blobs.get(hash)).rejects.toMatchObject({
      code: 'BLOB_CORRUPT',
      message: expect.stringMatching(/more than any blob holds/),
    });
    // At the largest size a blob may have, decompression runs to 20 MiB and stops there.
    await tamper(hash, { size: MAX_BLOB_BYTES });
    let error: unknown;
    const growth = await memoryGrowth(() => blobs.get(hash).catch((caught: unknown) => (error = caught)));
    expect(error).toMatchObject({
      code: 'BLOB_CORRUPT',
      message: expect.stringMatching(/holds more than the 20971520 bytes/),
    });
    expect(growth.rss).toBeLessThan(128 * 2 ** 20);
    expect(growth.buffers).toBeLessThan(64 * 2 ** 20);
  });

  it('refuses content whose SHA-256 is not its name, or of another size, or that does not decompress', async () => {
    const original = await blobs.put('the original content, long enough to compress: '.repeat(10));
    const forged = Buffer.from('the forged content,   long enough to compress: '.repeat(10));
    expect(forged.length).toBe(original.size);
    await tamper(original.hash, { bytes: zlib.brotliCompressSync(forged) });
    await expect(blobs.get(original.hash)).rejects.toMatchObject({
      code: 'BLOB_CORRUPT',
      message: expect.stringMatching(/its content has another SHA-256/),
    });
    await tamper(original.hash, { bytes: zlib.brotliCompressSync(forged.subarray(10)) });
    await expect(blobs.get(original.hash)).rejects.toMatchObject({
      message: expect.stringMatching(/holds 460 bytes, not the 470 recorded/),
    });
    await tamper(original.hash, { bytes: Buffer.from('not brotli at all') });
    await expect(blobs.get(original.hash)).rejects.toMatchObject({
      message: expect.stringMatching(/does not decompress/),
    });
    await tamper(original.hash, { codec: 'none', bytes: forged.subarray(0, 400) });
    await expect(blobs.get(original.hash)).rejects.toMatchObject({ code: 'BLOB_CORRUPT' });
    await tamper(original.hash, { codec: 'lz4' as never });
    await expect(blobs.get(original.hash)).rejects.toMatchObject({
      message: expect.stringMatching(/unknown codec "lz4"/),
    });
  });
});
