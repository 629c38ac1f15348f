// Reads one field of an exported series: a timestamp (ISO 8601, or epoch seconds, milliseconds,
// microseconds or nanoseconds told apart by size) or a number, with zod saying what is wrong.
import { z } from 'zod';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/**
 * Each unit's epoch values stay below the next bound until long after any real data (1e11 seconds
 * is the year 5138, when milliseconds of today are about 1.7e12); what is left is nanoseconds.
 */
const UNIT_BOUNDS: readonly (readonly [number, number])[] = [
  [1e11, 1000],
  [1e14, 1],
  [1e17, 1e-3],
];

export const valueField = z
  .string()
  .trim()
  .min(1, 'is empty')
  .pipe(z.coerce.number<string>({ error: 'is not a number' }));

export const timestampField = z
  .string()
  .trim()
  .min(1, 'is empty')
  .transform((text, ctx) => {
    const numeric = Number(text);
    if (Number.isFinite(numeric)) {
      const [, toMilliseconds] = UNIT_BOUNDS.find(([below]) => Math.abs(numeric) < below) ?? [0, 1e-6];
      return numeric * toMilliseconds;
    }
    const parsed = isIsoTimestamp(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'is neither ISO 8601 nor an epoch number' });
      return z.NEVER;
    }
    return parsed;
  });

export function isIsoTimestamp(text: string): boolean {
  return ISO_8601.test(text);
}
