// A plugin's blobs (ctx.blobs) in the platform's database: content-addressed by SHA-256, compressed
// per blob, counted references. Every change of a row is one atomic statement (or one transaction),
// so puts and releases from several connections and processes lose no reference.
import { createHash, webcrypto } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { OmniError } from '../../errors.js';
import { byteSize } from '../../lib/byte-size.js';
import type { BlobInfo, BlobStats, PluginBlobs } from '../api-content.js';
import { compress, decompress, OverLimitError } from './codecs.js';

/** The most a blob may hold. */
export const MAX_BLOB_BYTES = 20 * 2 ** 20;

const codec = z.enum(['br', 'gzip', 'none']);
const putOptions = z.object({ codec: codec.default('br') }).strict();
const getOptions = z.object({ maxBytes: z.number().int().min(0).optional() }).strict();
const HASH = /^[0-9a-f]{64}$/;

const INFO = ['hash', 'size', 'stored_size', 'codec'] as const;
type InfoRow = { hash: string; size: number; stored_size: number; codec: string };

export function pluginBlobs(db: Kysely<Database>, plugin: string): PluginBlobs {
  const scoped = (hash: string) => db.selectFrom('plugin_blobs').where('plugin', '=', plugin).where('hash', '=', hash);

  /** Another reference to a blob already stored; undefined when there is none. */
  const addReference = async (hash: string): Promise<BlobInfo | undefined> => {
    const row = await db
      .updateTable('plugin_blobs')
      .set((eb) => ({ refs: eb('refs', '+', 1) }))
      .where('plugin', '=', plugin)
      .where('hash', '=', hash)
      .returning(INFO)
      .executeTakeFirst();
    return row && infoOf(row);
  };

  return {
    async put(data, options) {
      const { codec: wanted } = parse(putOptions, options, 'blobs.put options');
      if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
        throw new TypeError('blobs.put: data must be a Uint8Array (a Buffer) or a string');
      }
      const size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
      if (size > MAX_BLOB_BYTES) {
        throw new OmniError('BLOB_TOO_LARGE', `${byteSize(size)} put; the limit is ${byteSize(MAX_BLOB_BYTES)}`);
      }
      // A copy: the caller may change its array while the hash and compression run on other threads.
      const bytes = Buffer.from(typeof data === 'string' ? Buffer.from(data) : data);
      const hash = await sha256(bytes);
      const held = await addReference(hash);
      if (held) return held;
      const packed = await compress(bytes, wanted);
      const [stored, storedCodec] = packed.length < bytes.length ? [packed, wanted] : [bytes, 'none' as const];
      // Another put of the same bytes may have stored them meanwhile: then this one is a reference to its row.
      const row = await db
        .insertInto('plugin_blobs')
        .values({
          plugin,
          hash,
          size,
          stored_size: stored.length,
          codec: storedCodec,
          refs: 1,
          bytes: stored,
          created_at: Date.now(),
        })
        .onConflict((oc) =>
          oc.columns(['plugin', 'hash']).doUpdateSet((eb) => ({ refs: eb('plugin_blobs.refs', '+', 1) })),
        )
        .returning(INFO)
        .executeTakeFirstOrThrow();
      return infoOf(row);
    },

    async get(hash, options) {
      const { maxBytes } = parse(getOptions, options, 'blobs.get options');
      if (!HASH.test(hash)) return undefined;
      const row = await scoped(hash).select(['size', 'codec', 'bytes']).executeTakeFirst();
      if (!row) return undefined;
      if (maxBytes !== undefined && row.size > maxBytes) {
        throw new OmniError(
          'BLOB_TOO_LARGE',
          `blob ${hash} holds ${byteSize(row.size)}; the limit is ${byteSize(maxBytes)}`,
        );
      }
      // Never more than any blob may hold, whatever a damaged row records.
      if (row.size > MAX_BLOB_BYTES) throw corrupt(hash, `it records ${byteSize(row.size)}, more than any blob holds`);
      const storedCodec = codec.safeParse(row.codec);
      if (!storedCodec.success) throw corrupt(hash, `unknown codec ${JSON.stringify(row.codec)}`);
      let bytes: Buffer;
      try {
        bytes = await decompress(row.bytes, storedCodec.data, row.size);
      } catch (error) {
        if (error instanceof OverLimitError)
          throw corrupt(hash, `it holds more than the ${byteSize(row.size)} recorded`);
        throw corrupt(hash, `it does not decompress (${(error as Error).message})`);
      }
      if (bytes.length !== row.size)
        throw corrupt(hash, `it holds ${bytes.length} bytes, not the ${row.size} recorded`);
      if ((await sha256(bytes)) !== hash) throw corrupt(hash, 'its content has another SHA-256');
      return bytes;
    },

    async info(hash) {
      if (!HASH.test(hash)) return undefined;
      const row = await scoped(hash).select(INFO).executeTakeFirst();
      return row && infoOf(row);
    },

    async release(hash) {
      if (!HASH.test(hash)) return false;
      // Single statements, no transaction: a SQLite transaction held across awaits would stall a
      // writer on another connection of this process, which waits synchronously. The last
      // reference deletes the row; any other is taken off only while others remain, so that
      // two releases racing for the last two references cannot both miss the delete.
      for (;;) {
        const deleted = await db
          .deleteFrom('plugin_blobs')
          .where('plugin', '=', plugin)
          .where('hash', '=', hash)
          .where('refs', '<=', 1)
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) > 0) return true;
        const dropped = await db
          .updateTable('plugin_blobs')
          .set((eb) => ({ refs: eb('refs', '-', 1) }))
          .where('plugin', '=', plugin)
          .where('hash', '=', hash)
          .where('refs', '>', 1)
          .executeTakeFirst();
        if (Number(dropped.numUpdatedRows) > 0) return false;
        // Neither: the blob is gone, or another release took it down to one reference meanwhile.
        if (!(await scoped(hash).select('hash').executeTakeFirst())) return false;
      }
    },

    async stats(): Promise<BlobStats> {
      const row = await db
        .selectFrom('plugin_blobs')
        .where('plugin', '=', plugin)
        .select((eb) => [
          eb.fn.countAll().as('blobs'),
          eb.fn.sum('size').as('bytes'),
          eb.fn.sum('stored_size').as('stored'),
        ])
        .executeTakeFirstOrThrow();
      // PostgreSQL sums bigints as numeric, which reaches us as a string; no rows sum to null.
      return { blobs: Number(row.blobs), bytes: Number(row.bytes ?? 0), storedBytes: Number(row.stored ?? 0) };
    },
  };
}

function infoOf(row: InfoRow): BlobInfo {
  return { hash: row.hash, size: row.size, storedSize: row.stored_size, codec: codec.parse(row.codec) };
}

/** Above this, hashing runs on the thread pool (20 MiB take ~40 ms); below, a thread pool round trip costs more than hashing. */
const HASH_OFF_LOOP_BYTES = 64 * 1024;

async function sha256(bytes: Buffer): Promise<string> {
  if (bytes.length < HASH_OFF_LOOP_BYTES) return createHash('sha256').update(bytes).digest('hex');
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

function corrupt(hash: string, why: string): OmniError {
  return new OmniError('BLOB_CORRUPT', `blob ${hash}: ${why}`);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`${what}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}
