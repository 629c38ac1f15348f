// What every detector returns: the points it finds anomalous, with a score on its own scale
// (how many robust standard deviations, roughly) and the direction of the departure; and the
// robust statistics they share.

export interface Anomaly {
  /** Position in the series given to the detector. */
  readonly index: number;
  readonly score: number;
  readonly direction: 'high' | 'low';
}

/** One observation: epoch milliseconds and its value. Seasonality needs the times, not just the order. */
export interface Point {
  readonly at: number;
  readonly value: number;
}

export type Detector = (points: readonly Point[]) => Anomaly[];

/** Consistency constant: MAD × 1.4826 estimates the standard deviation of normal data. */
export const MAD_TO_SD = 1.4826;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((value) => Math.abs(value - center)));
}

/**
 * A spread that is never zero: the MAD, else the mean absolute deviation (as for a series that is
 * mostly one value), else a tiny share of the level so that any change from a constant scores high.
 */
export function robustScale(values: readonly number[], center: number): number {
  const byMad = mad(values, center) * MAD_TO_SD;
  if (byMad > 0) return byMad;
  const meanAbs = values.reduce((sum, value) => sum + Math.abs(value - center), 0) / Math.max(1, values.length);
  if (meanAbs > 0) return meanAbs * 1.2533;
  return Math.max(Math.abs(center) * 1e-3, 1e-9);
}
