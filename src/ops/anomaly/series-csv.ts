// Reads a metric series from CSV as operators export it: `timestamp,value` per line (further columns
// ignored), an optional header, ISO 8601 or epoch seconds/milliseconds, optionally quoted. Anything
// else is refused with the line number and what is wrong with it.
import { z } from 'zod';
import { OmniError } from '../../errors.js';

export interface SeriesPoint {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly value: number;
}

const invalid = (detail: string) => new OmniError('ANOMALY_INVALID_CSV', detail);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Epoch values below this are seconds (it is the year 5138 in seconds, 1973 in milliseconds). */
const SECONDS_BELOW = 1e11;

const valueField = z
  .string()
  .trim()
  .min(1, 'is empty')
  .pipe(z.coerce.number<string>({ error: 'is not a number' }));
const timestampField = z
  .string()
  .trim()
  .min(1, 'is empty')
  .transform((text, ctx) => {
    const numeric = Number(text);
    if (Number.isFinite(numeric)) return numeric < SECONDS_BELOW ? numeric * 1000 : numeric;
    const parsed = ISO_8601.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(parsed)) {
      ctx.addIssue({ code: 'custom', message: 'is neither ISO 8601 nor epoch seconds or milliseconds' });
      return z.NEVER;
    }
    return parsed;
  });

export function parseSeriesCsv(text: string): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const number = index + 1;
    const [rawTime, rawValue] = line.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
    if (rawValue === undefined) throw invalid(`line ${number}: expected "timestamp,value", got "${clip(line)}"`);
    // A first line whose value is not a number is the header.
    if (points.length === 0 && number === firstLine(lines) && !valueField.safeParse(rawValue).success) continue;
    const time = timestampField.safeParse(rawTime ?? '');
    if (!time.success)
      throw invalid(`line ${number}: timestamp "${clip(rawTime ?? '')}" ${time.error.issues[0]?.message}`);
    const value = valueField.safeParse(rawValue);
    if (!value.success) throw invalid(`line ${number}: value "${clip(rawValue)}" ${value.error.issues[0]?.message}`);
    const previous = points.at(-1);
    if (previous && time.data <= previous.at) {
      throw invalid(`line ${number}: timestamps must increase (${rawTime} is not after the line before)`);
    }
    points.push({ at: time.data, value: value.data });
  }
  if (points.length === 0) throw invalid('no data rows: expected lines of "timestamp,value"');
  return points;
}

function firstLine(lines: readonly string[]): number {
  return lines.findIndex((line) => line.trim() !== '') + 1;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
