// The manifest inside every backup: what made it (version, git commit, schema version = the last
// applied migration), which database, and the size and SHA-256 of every other part of the archive.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';

export const MANIFEST_NAME = 'manifest.json';

const partSchema = z.object({
  name: z.string().regex(/^[a-z][a-z.-]*$/),
  role: z.enum(['database', 'data-files', 'plugins']),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const manifestSchema = z.object({
  format: z.literal(1),
  id: z.string(),
  omnicoreVersion: z.string(),
  gitCommit: z.string().nullable(),
  schemaVersion: z.string(),
  database: z.enum(['sqlite', 'postgres']),
  /** PostgreSQL: the schema dumped, which pg_restore recreates under that name. */
  postgresSchema: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** The parts are AES-256-GCM files (see passphrase-cipher.ts); sizes and digests are of those. */
  encrypted: z.boolean(),
  parts: z.array(partSchema).min(1),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestPart = z.infer<typeof partSchema>;

/** Size and SHA-256 of a part, read as a stream so that a large database never sits in memory. */
export async function describePart(dir: string, name: string, role: ManifestPart['role']): Promise<ManifestPart> {
  const file = path.join(dir, name);
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { name, role, bytes: (await stat(file)).size, sha256: hash.digest('hex') };
}
