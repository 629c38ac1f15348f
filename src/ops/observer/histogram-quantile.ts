// Quantiles from Prometheus-style cumulative histogram buckets, interpolated linearly inside the
// bucket that holds the rank, as PromQL's histogram_quantile does.

export interface Bucket {
  /** Upper bound (`le`); Infinity for the last bucket. */
  readonly le: number;
  /** Observations at or below `le`. */
  readonly count: number;
}

/** The q-quantile (0–1) of the observations counted by `buckets`; undefined when there are none. */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0) return undefined;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      // Past the highest finite bound nothing is known but "more than that": report the bound.
      if (bucket.le === Number.POSITIVE_INFINITY) return lower;
      const inBucket = bucket.count - below;
      return inBucket === 0 ? bucket.le : lower + ((bucket.le - lower) * (rank - below)) / inBucket;
    }
    lower = bucket.le;
    below = bucket.count;
  }
  return lower;
}

/** Per-bucket counts of what was observed between two readings of the same cumulative histogram. */
export function bucketDelta(current: readonly Bucket[], previous: readonly Bucket[]): Bucket[] {
  const before = new Map(previous.map((bucket) => [bucket.le, bucket.count]));
  return current.map((bucket) => ({ le: bucket.le, count: bucket.count - (before.get(bucket.le) ?? 0) }));
}
