// ctx.blobs on SQLite and PostgreSQL: real text round-trips through each codec (and bytes that do
// not compress are kept as they are), the same bytes are stored once and counted, two connections
// putting or releasing the same bytes at once lose no reference, stats add up, and limits are named.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { OmniError } from '../../src/errors.js';
import type { PluginBlobs } from '../../src/plugins/api-content.js';
import { MAX_BLOB_BYTES, pluginBlobs } from '../../src/plugins/blobs/plugin-blobs.js';
import { DATABASE_KINDS, useMigratedDatabase } from '../support/databases.js';

const README = readFileSync(new URL('../../node_modules/fastify/README.md', import.meta.url));

describe.each(DATABASE_KINDS)('plugin blobs on %s', (kind) => {
  const fixture = useMigratedDatabase(kind);
  /** A second connection to the same database, as another process would have. */
  let other: DatabaseHandle;
  let blobs: PluginBlobs;
  let elsewhere: PluginBlobs;

  beforeAll(async () => {
    other = await openDatabase({ url: fixture.database.url, dataDir: fixture.database.dataDir });
    blobs = pluginBlobs(fixture.handle.db, 'notes');
    elsewhere = pluginBlobs(other.db, 'notes');
  });

  afterAll(async () => {
    await other?.close();
  });

  const rows = (hash: string) =>
    fixture.handle.db.selectFrom('plugin_blobs').select(['plugin', 'refs']).where('hash', '=', hash).execute();

  it.each(['br', 'gzip', 'none'] as const)('round-trips real text through %s', async (codec) => {
    const info = await blobs.put(README, { codec });
    expect(info).toMatchObject({ size: README.length, codec });
    expect(info.hash).toMatch(/^[0-9a-f]{64}$/);
    if (codec === 'none') expect(info.storedSize).toBe(README.length);
    else expect(info.storedSize).toBeLessThan(README.length / 2);
    expect((await blobs.get(info.hash))?.equals(README)).toBe(true);
    expect(await blobs.info(info.hash)).toEqual(info);
    expect(await blobs.release(info.hash)).toBe(true);
  });

  it('keeps bytes that do not compress as they are, and strings as UTF-8', async () => {
    const noise = randomBytes(4096);
    expect(await blobs.put(noise)).toMatchObject({ codec: 'none', size: 4096, storedSize: 4096 });
    const text = await blobs.put('Grüße, ünïcödé');
    expect((await blobs.get(text.hash))?.toString('utf8')).toBe('Grüße, ünïcödé');
    const empty = await blobs.put('');
    expect(empty).toMatchObject({ size: 0, storedSize: 0, codec: 'none' });
    expect((await blobs.get(empty.hash))?.length).toBe(0);
  });

  it('stores the same bytes once, counts each put, and deletes with the last release', async () => {
    const bytes = Buffer.from(`${README.toString()} (dedup)`);
    const first = await blobs.put(bytes);
    // The second put asks for gzip: it only references the brotli blob already there.
    const second = await blobs.put(new Uint8Array(bytes), { codec: 'gzip' });
    expect(second).toEqual(first);
    expect(await rows(first.hash)).toEqual([{ plugin: 'notes', refs: 2 }]);
    // Another plugin's blobs are its own.
    const mine = pluginBlobs(fixture.handle.db, 'other-plugin');
    expect(await mine.info(first.hash)).toBeUndefined();
    await mine.put(bytes);
    expect(await rows(first.hash)).toHaveLength(2);

    expect(await blobs.release(first.hash)).toBe(false);
    expect((await blobs.get(first.hash))?.equals(bytes)).toBe(true);
    expect(await blobs.release(first.hash)).toBe(true);
    expect(await blobs.get(first.hash)).toBeUndefined();
    expect(await blobs.info(first.hash)).toBeUndefined();
    expect(await blobs.release(first.hash)).toBe(false);
    expect(await mine.info(first.hash)).toMatchObject({ size: bytes.length });
    expect(await mine.release(first.hash)).toBe(true);
  });

  it('loses no reference when two connections put and release the same bytes at once', async () => {
    const contents = Array.from({ length: 20 }, (_, index) => `${README.toString().slice(index * 100)} #${index}`);
    await Promise.all(contents.flatMap((content) => [blobs.put(content), elsewhere.put(content)]));
    const infos = await Promise.all(contents.map((content) => blobs.put(content)));
    for (const info of infos) expect(await rows(info.hash)).toEqual([{ plugin: 'notes', refs: 3 }]);

    // Three releases of each, split over both connections: exactly one of them deletes.
    const released = await Promise.all(
      infos.map(async ({ hash }) =>
        (await Promise.all([blobs.release(hash), elsewhere.release(hash), blobs.release(hash)])).filter(Boolean),
      ),
    );
    expect(released.map((deleted) => deleted.length)).toEqual(infos.map(() => 1));
    for (const info of infos) expect(await rows(info.hash)).toEqual([]);
  });

  it('adds up its blobs in stats, once per content', async () => {
    const stats = pluginBlobs(fixture.handle.db, 'counted');
    expect(await stats.stats()).toEqual({ blobs: 0, bytes: 0, storedBytes: 0 });
    const a = await stats.put(README);
    await stats.put(README);
    const b = await stats.put(randomBytes(1000), { codec: 'gzip' });
    expect(await stats.stats()).toEqual({
      blobs: 2,
      bytes: a.size + b.size,
      storedBytes: a.storedSize + b.storedSize,
    });
  });

  it('refuses a put over 20 MiB and a get over its maxBytes, naming the limit', async () => {
    const put = blobs.put(Buffer.alloc(MAX_BLOB_BYTES + 1));
    await expect(put).rejects.toBeInstanceOf(OmniError);
    await expect(put).rejects.toMatchObject({
      code: 'BLOB_TOO_LARGE',
      message: expect.stringMatching(/limit is 20971520 bytes \(20 MiB\)/),
    });
    // Exactly the limit is fine.
    const largest = await blobs.put(Buffer.alloc(MAX_BLOB_BYTES, 'a'));
    expect(largest.storedSize).toBeLessThan(1000);
    expect((await blobs.get(largest.hash))?.length).toBe(MAX_BLOB_BYTES);
    await blobs.release(largest.hash);

    const info = await blobs.put(README);
    await expect(blobs.get(info.hash, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'BLOB_TOO_LARGE',
      message: expect.stringMatching(new RegExp(`holds ${README.length} bytes; the limit is 1000 bytes`)),
    });
    expect((await blobs.get(info.hash, { maxBytes: README.length }))?.length).toBe(README.length);
  });

  it('refuses bad options and answers nothing for a name that is not a SHA-256', async () => {
    await expect(blobs.put('x', { codec: 'lz4' as never })).rejects.toThrow(/blobs\.put options: codec/);
    await expect(blobs.put(42 as never)).rejects.toThrow(/data must be a Uint8Array/);
    await expect(blobs.get('0'.repeat(64), { maxBytes: -1 })).rejects.toThrow(/blobs\.get options: maxBytes/);
    expect(await blobs.get("x' or 1=1 --")).toBeUndefined();
    expect(await blobs.info('ABC')).toBeUndefined();
    expect(await blobs.release('../etc')).toBe(false);
  });
});
