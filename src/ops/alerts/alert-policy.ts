// Which observed metrics raise anomaly alerts, and the level a value must also pass (in the metric's
// bad direction) to be worth waking someone: a latency that doubles from 2 ms to 4 ms is an anomaly
// to a detector and nothing to an operator.
import type { MetricName } from '../observer/metric-catalog.js';

export const ALERT_FLOORS: Partial<Record<MetricName, number>> = {
  'cpu.percent': 80,
  'memory.system_used_percent': 90,
  'eventloop.lag_ms': 100,
  'disk.free_percent': 10,
  'handler.latency_p95_ms': 1000,
  'errors.rate': 0.05,
  'errors.per_minute': 5,
  'inbox.backlog': 100,
  'telegram.rate_limited_per_minute': 1,
};

/** How far ahead a forecast of free disk reaching zero is worth an alert is a setting (alerts.forecastHorizonHours). */
export const FORECAST_METRIC: MetricName = 'disk.free_bytes';
