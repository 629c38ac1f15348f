// Puts an exported series on a regular time grid, because the seasonal model compares a point with
// the same phase of earlier cycles: the sampling interval is the median gap, repeated timestamps
// (clock changes, collector restarts) are averaged into one cell and missing points leave NaN.
import { median, type Point } from './anomaly.js';

export interface Grid {
  /** Epoch ms of cell 0. */
  readonly start: number;
  /** Sampling interval in ms (the median positive gap between timestamps). */
  readonly step: number;
  /** One value per cell; NaN where nothing was recorded. */
  readonly values: Float64Array;
  /** For each input point, its cell. */
  readonly cellOf: Int32Array;
}

/** Undefined for fewer than two distinct timestamps: there is no interval to speak of. */
export function toGrid(points: readonly Point[]): Grid | undefined {
  const times = points.map((point) => point.at).sort((a, b) => a - b);
  const gaps = times.slice(1).flatMap((at, i) => (at > (times[i] as number) ? [at - (times[i] as number)] : []));
  if (gaps.length === 0) return undefined;
  const step = median(gaps);
  const start = times[0] as number;
  const cells = Math.round(((times.at(-1) as number) - start) / step) + 1;
  const sums = new Float64Array(cells);
  const counts = new Int32Array(cells);
  const cellOf = new Int32Array(points.length);
  points.forEach((point, i) => {
    const cell = Math.round((point.at - start) / step);
    cellOf[i] = cell;
    sums[cell] = (sums[cell] ?? 0) + point.value;
    counts[cell] = (counts[cell] ?? 0) + 1;
  });
  const values = sums.map((sum, cell) => ((counts[cell] ?? 0) > 0 ? sum / (counts[cell] as number) : Number.NaN));
  return { start, step, values, cellOf };
}
