// The metrics the observer samples: their stored names, what they mean, which direction of change is
// bad (alerts only fire that way; a CPU that drops is no incident), and how the instances' values of
// one minute make the whole deployment's (a rate adds up, a latency percentile takes the worst).

/** How several instances' values combine: added, averaged, or the highest or lowest of them. */
export type Across = 'sum' | 'mean' | 'max' | 'min';
export const OBSERVED_METRICS = {
  'cpu.percent': { help: 'Process CPU time over the last interval, percent of one core', bad: 'high', across: 'sum' },
  'memory.rss_bytes': { help: 'Resident set size of the process', bad: 'high', across: 'sum' },
  'memory.heap_used_bytes': { help: 'V8 heap in use', bad: 'high', across: 'sum' },
  'memory.system_used_percent': { help: 'Memory in use on the machine, percent', bad: 'high', across: 'max' },
  'eventloop.lag_ms': {
    help: 'Event-loop delay over the last interval, 99th percentile, milliseconds',
    bad: 'high',
    across: 'max',
  },
  'disk.free_bytes': { help: 'Free space on the volume holding DATA_DIR', bad: 'low', across: 'min' },
  'disk.free_percent': { help: 'Free space on the volume holding DATA_DIR, percent', bad: 'low', across: 'min' },
  'updates.per_minute': { help: 'Updates received (webhook or polling), per minute', bad: 'both', across: 'sum' },
  'handler.latency_p50_ms': {
    help: 'Handler latency over the last interval, median, milliseconds',
    bad: 'high',
    across: 'mean',
  },
  'handler.latency_p95_ms': {
    help: 'Handler latency over the last interval, 95th percentile, milliseconds',
    bad: 'high',
    across: 'max',
  },
  'errors.per_minute': { help: 'Handler failures per minute', bad: 'high', across: 'sum' },
  'errors.rate': {
    help: 'Share of handled updates that failed over the last interval (0-1)',
    bad: 'high',
    across: 'mean',
  },
  // Read from the shared database: every instance sees the same count.
  'inbox.backlog': { help: 'Updates stored and not yet handled', bad: 'high', across: 'max' },
  'telegram.rate_limited_per_minute': {
    help: 'Bot API calls answered 429 (Too Many Requests), per minute',
    bad: 'high',
    across: 'sum',
  },
  'users.active': { help: 'Distinct users with an update in the last 5 minutes', bad: 'both', across: 'max' },
  'conversation.answers_per_minute': {
    help: 'Plain messages the local conversation engine answered, per minute',
    bad: 'both',
    across: 'sum',
  },
  'conversation.unsure_rate': {
    help: 'Share of those answers that said "not sure" over the last interval (0-1)',
    bad: 'high',
    across: 'mean',
  },
} as const satisfies Record<string, { help: string; bad: 'high' | 'low' | 'both'; across: Across }>;
export type MetricName = keyof typeof OBSERVED_METRICS;
export const METRIC_NAMES = Object.keys(OBSERVED_METRICS) as MetricName[];

/** One observation of every metric that had a value (latency has none in an interval without updates). */
export interface Sample {
  readonly at: number;
  readonly values: Partial<Record<MetricName, number>>;
}

/** The Prometheus name of an observed metric: `disk.free_bytes` → `omnicore_disk_free_bytes`. */
export function prometheusName(name: MetricName): string {
  return `omnicore_${name.replace(/\./g, '_')}`;
}
