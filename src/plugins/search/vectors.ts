// Embeddings: stored as little-endian Float32 bytes, ranked by cosine similarity over the filtered
// records by brute force, read in batches so that the whole set is never in memory at once.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { RankedRow } from './text-index.js';

const BATCH = 1000;

export function vectorBytes(vector: readonly number[]): Buffer {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) bytes.writeFloatLE(value, index * 4);
  return bytes;
}

function norm(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (values[i] as number) ** 2;
  return Math.sqrt(sum);
}

function cosine(query: Float32Array, queryNorm: number, bytes: Buffer): number {
  if (bytes.length !== query.length * 4) return Number.NEGATIVE_INFINITY;
  let dot = 0;
  let sum = 0;
  for (let i = 0; i < query.length; i++) {
    const value = bytes.readFloatLE(i * 4);
    dot += (query[i] as number) * value;
    sum += value * value;
  }
  const denominator = queryNorm * Math.sqrt(sum);
  return denominator === 0 ? 0 : dot / denominator;
}

/** The `top` rows matching `where` (records aliased `r`) most similar to `vector` and at least `min`, best first. */
export async function nearestRows(
  db: Kysely<Database>,
  vector: readonly number[],
  where: RawBuilder<unknown>,
  top: number,
  min: number,
): Promise<RankedRow[]> {
  const query = Float32Array.from(vector);
  const queryNorm = norm(query);
  const best: RankedRow[] = [];
  let after = 0;
  for (;;) {
    const { rows } = await sql<{ id: number; vector: Buffer }>`select r.id, r.vector from plugin_search_records r
      where ${where} and r.vector is not null and r.id > ${after} order by r.id limit ${BATCH}`.execute(db);
    for (const row of rows) {
      const score = cosine(query, queryNorm, row.vector);
      if (score < min) continue;
      if (best.length === top && score <= (best.at(-1) as RankedRow).score) continue;
      best.splice(insertionPoint(best, score), 0, { row: row.id, score });
      if (best.length > top) best.pop();
    }
    if (rows.length < BATCH) return best;
    after = (rows.at(-1) as { id: number }).id;
  }
}

/** Where `score` goes in `rows`, kept best first (after equal scores: earlier rows stay ahead). */
function insertionPoint(rows: RankedRow[], score: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((rows[middle] as RankedRow).score >= score) low = middle + 1;
    else high = middle;
  }
  return low;
}
