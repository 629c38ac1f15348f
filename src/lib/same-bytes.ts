// Comparing a secret (a token, a signature) with what was sent, in time that does not depend on
// where they differ; different lengths are simply unequal (timingSafeEqual would throw).
import { timingSafeEqual } from 'node:crypto';

export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
