// The metrics the observer samples: their stored names, what they mean, and which direction of
// change is bad (alerts only fire that way; a CPU that drops is no incident).
export const OBSERVED_METRICS = {
  'cpu.percent': { help: 'Process CPU time over the last interval, percent of one core', bad: 'high' },
  'memory.rss_bytes': { help: 'Resident set size of the process', bad: 'high' },
  'memory.heap_used_bytes': { help: 'V8 heap in use', bad: 'high' },
  'memory.system_used_percent': { help: 'Memory in use on the machine, percent', bad: 'high' },
  'eventloop.lag_ms': { help: 'Event-loop delay over the last interval, 99th percentile, milliseconds', bad: 'high' },
  'disk.free_bytes': { help: 'Free space on the volume holding DATA_DIR', bad: 'low' },
  'disk.free_percent': { help: 'Free space on the volume holding DATA_DIR, percent', bad: 'low' },
  'updates.per_minute': { help: 'Updates received (webhook or polling), per minute', bad: 'both' },
  'handler.latency_p50_ms': { help: 'Handler latency over the last interval, median, milliseconds', bad: 'high' },
  'handler.latency_p95_ms': {
    help: 'Handler latency over the last interval, 95th percentile, milliseconds',
    bad: 'high',
  },
  'errors.per_minute': { help: 'Handler failures per minute', bad: 'high' },
  'errors.rate': { help: 'Share of handled updates that failed over the last interval (0-1)', bad: 'high' },
  'inbox.backlog': { help: 'Updates stored and not yet handled', bad: 'high' },
  'telegram.rate_limited_per_minute': {
    help: 'Bot API calls answered 429 (Too Many Requests), per minute',
    bad: 'high',
  },
  'users.active': { help: 'Distinct users with an update in the last 5 minutes', bad: 'both' },
} as const satisfies Record<string, { help: string; bad: 'high' | 'low' | 'both' }>;

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
