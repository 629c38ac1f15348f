// Small arithmetic for the results: percentiles of a sample and ratios between contestants.

/** The p-th percentile (0-100) by nearest rank; NaN for an empty sample. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** `end[i] - start[i]` for every i where both are set (non-zero), sorted ascending. */
export function sortedDurations(start: Float64Array, end: Float64Array): Float64Array {
  const out: number[] = [];
  for (let index = 0; index < start.length; index++) {
    const from = start[index] as number;
    const to = end[index] as number;
    if (from > 0 && to > 0) out.push(to - from);
  }
  return Float64Array.from(out).sort();
}

/** Largest value of the array (0 for an empty one). */
export function maxOf(values: Float64Array): number {
  let max = 0;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** Smallest value above zero (NaN when there is none). */
export function minPositive(values: Float64Array): number {
  let min = Number.POSITIVE_INFINITY;
  for (const value of values) if (value > 0 && value < min) min = value;
  return Number.isFinite(min) ? min : Number.NaN;
}

export function ratio(value: number, anchor: number): number {
  return anchor > 0 && Number.isFinite(value) ? value / anchor : Number.NaN;
}
