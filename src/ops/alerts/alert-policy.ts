// Which observed metrics raise alerts. An anomaly alert needs the detectors to object and the value
// to be past the metric's floor (in its bad direction): a latency that doubles from 2 ms to 4 ms is an
// anomaly to a detector and nothing to an operator. A value past a hard limit is alerted whatever the
// detectors say, so that a slow creep into trouble, which never looks anomalous, is still reported.
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

/**
 * Metrics alerted only against a learnt daily or weekly cycle, never by the live window alone: traffic
 * follows its users, so a busy or quiet hour is no incident by itself, but a weekday as quiet as a
 * Saturday is. A floor of 0 lets any departure through, either way (the metric's bad direction).
 */
export const SEASONAL_FLOORS: Partial<Record<MetricName, number>> = {
  'updates.per_minute': 0,
};

export const HARD_LIMITS: Partial<Record<MetricName, number>> = {
  'memory.system_used_percent': 97,
  'eventloop.lag_ms': 1000,
  'disk.free_percent': 3,
  'handler.latency_p95_ms': 10_000,
  'errors.rate': 0.5,
  'inbox.backlog': 1000,
};

/** How far ahead a forecast of free disk reaching zero is worth an alert is a setting (alerts.forecastHorizonHours). */
export const FORECAST_METRIC: MetricName = 'disk.free_bytes';
