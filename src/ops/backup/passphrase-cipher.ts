// Encrypts a backup part with a passphrase: AES-256-GCM under a key derived by scrypt from the
// passphrase and a random salt. File layout: "OMNIBAK1", salt (16), IV (12), ciphertext, tag (16).
// Streams both ways, so that a large database never sits in memory.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OmniError } from '../../errors.js';

const MAGIC = Buffer.from('OMNIBAK1');
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + IV_BYTES;
// N = 2^15 costs ~0.1 s and 32 MiB per derivation: once per part, and slow for a guesser.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function deriveKey(passphrase: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(passphrase, salt, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function encryptFile(source: string, target: string, passphrase: string): Promise<void> {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  const out = createWriteStream(target, { mode: 0o600 });
  out.write(Buffer.concat([MAGIC, salt, iv]));
  await pipeline(createReadStream(source), cipher, out, { end: false });
  out.end(cipher.getAuthTag());
  await new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
}

/**
 * Decrypts `source` into `target`. A wrong passphrase and changed bytes look the same to GCM: both
 * fail the tag check at the end, and the caller must then discard `target`.
 */
export async function decryptFile(source: string, target: string, passphrase: string): Promise<void> {
  const { size } = await stat(source);
  if (size < HEADER_BYTES + TAG_BYTES) throw new OmniError('BACKUP_CORRUPT', 'an encrypted part is cut short');
  const header = Buffer.alloc(HEADER_BYTES);
  const tag = Buffer.alloc(TAG_BYTES);
  const handle = await open(source, 'r');
  try {
    await handle.read(header, 0, HEADER_BYTES, 0);
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new OmniError('BACKUP_CORRUPT', 'an encrypted part does not start as one');
  }
  const salt = header.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
  const iv = header.subarray(MAGIC.length + SALT_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', await deriveKey(passphrase, salt), iv);
  decipher.setAuthTag(tag);
  const body: Readable =
    size === HEADER_BYTES + TAG_BYTES
      ? Readable.from([])
      : createReadStream(source, { start: HEADER_BYTES, end: size - TAG_BYTES - 1 });
  try {
    await pipeline(body, decipher, createWriteStream(target, { mode: 0o600 }));
  } catch (error) {
    if (error instanceof Error && /authenticate/i.test(error.message)) {
      throw new OmniError('BACKUP_PASSPHRASE', 'the passphrase does not open this backup');
    }
    throw error;
  }
}
