// Watches what the observer and the health checks report and raises alerts: a metric whose newest
// sample starts an anomalous event (detectors.ts) in its bad direction and is past its floor, or
// that is past its hard limit (alert-policy.ts); a forecast of free disk running out within
// `alerts.forecastHorizonHours`; and a failing health check.
import type { Logger } from '../../config/logger.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { detectEvents } from '../anomaly/detectors.js';
import { forecastReach } from '../anomaly/trend.js';
import type { HealthResult } from '../health/health-check.js';
import type { HealthMonitor } from '../health/health-monitor.js';
import { type MetricName, OBSERVED_METRICS, type Sample } from '../observer/metric-catalog.js';
import type { Observer } from '../observer/observer.js';
import type { AlertManager } from './alert-manager.js';
import { ALERT_FLOORS, FORECAST_METRIC, HARD_LIMITS } from './alert-policy.js';

export interface AnomalyWatchOptions {
  observer: Observer;
  health?: HealthMonitor;
  alerts: AlertManager;
  settings: SettingsStore;
  log: Logger;
}

/** Enough for every detector's window and warm-up; only the newest point is judged. */
const POINTS_JUDGED = 180;
const MINUTE_MS = 60_000;
const FORECAST_BASIS_MS = 6 * 60 * MINUTE_MS;
const FORECAST_MIN_POINTS = 30;
/** A line that explains less of the movement than this is noise, not a trend worth a forecast. */
const FORECAST_MIN_R2 = 0.5;

export class AnomalyWatch {
  private pending: Promise<unknown> = Promise.resolve();
  private readonly stops: (() => void)[] = [];
  private lastForecast = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: AnomalyWatchOptions) {}

  start(): void {
    this.stops.push(this.options.observer.subscribe((sample) => this.enqueue(() => this.checkSample(sample))));
    if (this.options.health) {
      this.stops.push(this.options.health.subscribe((results) => this.enqueue(() => this.checkHealth(results))));
    }
  }

  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    await this.idle();
  }

  /** Resolves once everything reported so far is judged and its alerts are stored and sent. */
  async idle(): Promise<void> {
    await this.pending;
    await this.options.alerts.idle();
  }

  private enqueue(task: () => Promise<void>): void {
    this.pending = this.pending
      .then(task)
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'anomaly watch failed'));
  }

  private async checkSample(sample: Sample): Promise<void> {
    const pastLimit = await this.checkLimits(sample);
    await this.checkAnomalies(sample, pastLimit);
    if (sample.at - this.lastForecast >= MINUTE_MS) {
      this.lastForecast = sample.at;
      await this.checkForecast(sample.at);
    }
  }

  /** Raises an alert for each metric past its hard limit; returns those metrics. */
  private async checkLimits(sample: Sample): Promise<Set<MetricName>> {
    const past = new Set<MetricName>();
    for (const [name, limit] of Object.entries(HARD_LIMITS) as [MetricName, number][]) {
      const value = sample.values[name];
      if (value === undefined || !pastFloor(name, value, limit)) continue;
      past.add(name);
      await this.options.alerts.raise({
        kind: 'limit',
        subject: name,
        incident: metricIncident(name),
        value,
        message: `${name} is ${formatValue(value)}, past the limit of ${limit}: ${OBSERVED_METRICS[name].help}.`,
      });
    }
    return past;
  }

  /** Metrics already alerted past their limit in this sample are not judged again. */
  private async checkAnomalies(sample: Sample, skip: ReadonlySet<MetricName>): Promise<void> {
    const history = this.options.observer.latest(POINTS_JUDGED);
    for (const [name, floor] of Object.entries(ALERT_FLOORS) as [MetricName, number][]) {
      const value = sample.values[name];
      if (value === undefined || skip.has(name) || !pastFloor(name, value, floor)) continue;
      const points = history.flatMap((entry) => {
        const point = entry.values[name];
        return point === undefined ? [] : [{ at: entry.at, value: point }];
      });
      // Only an event that begins with this sample is news; one still going on was alerted when it
      // began. A detector may stretch an event over samples back within the floor (an EWMA remembers
      // a jump from a series that is all zeros for long): a rise from there is news all the same.
      const bad = OBSERVED_METRICS[name].bad;
      const direction = bad === 'both' ? undefined : bad;
      const last = points.length - 1;
      const previous = points[last - 1];
      const event = detectEvents(points, { direction }).events.find(
        (found) =>
          found.last === last && (found.first === last || !previous || !pastFloor(name, previous.value, floor)),
      );
      if (!event) continue;
      const score = event.severity;
      const detectors = event.detector;
      await this.options.alerts.raise({
        kind: 'anomaly',
        subject: name,
        incident: metricIncident(name),
        detector: detectors,
        value,
        score,
        message: `${name} is ${formatValue(value)}, out of its usual range (${event.kind}, ${detectors}, score ${score.toFixed(1)}): ${OBSERVED_METRICS[name].help}.`,
      });
    }
  }

  private async checkForecast(now: number): Promise<void> {
    const points = await this.options.observer.history(FORECAST_METRIC, now - FORECAST_BASIS_MS, now, 'raw');
    if (points.length < FORECAST_MIN_POINTS) return;
    const forecast = forecastReach(
      points.map((point) => point.at),
      points.map((point) => point.value),
      0,
    );
    if (forecast?.at === undefined || forecast.line.r2 < FORECAST_MIN_R2) return;
    const horizonMs = this.options.settings.get('alerts.forecastHorizonHours') * 60 * MINUTE_MS;
    const leftMs = forecast.at - now;
    if (leftMs > horizonMs) return;
    await this.options.alerts.raise({
      kind: 'trend',
      subject: FORECAST_METRIC,
      detector: 'trend',
      value: points.at(-1)?.value as number,
      score: leftMs / (60 * MINUTE_MS),
      message: `Disk full in ${aboutDuration(leftMs)} at the present rate (${formatValue(points.at(-1)?.value as number)} bytes free).`,
    });
  }

  private async checkHealth(results: readonly HealthResult[]): Promise<void> {
    for (const result of results) {
      if (result.ok) continue;
      await this.options.alerts.raise({
        kind: 'health',
        subject: result.name,
        message: `Health check "${result.name}"${result.critical ? ' (critical)' : ''} is failing: ${result.error ?? 'unknown reason'}.`,
      });
    }
  }
}

/** A metric past its limit and found anomalous at once is one incident, not two. */
function metricIncident(name: MetricName): string {
  return `metric:${name}`;
}

/** Whether `value` is at or beyond `floor` in the metric's bad direction. */
function pastFloor(name: MetricName, value: number, floor: number): boolean {
  const bad = OBSERVED_METRICS[name].bad;
  return bad === 'low' ? value <= floor : value >= floor;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** "about 3 days", "about 5 hours", "less than an hour". */
export function aboutDuration(ms: number): string {
  const hours = ms / (60 * MINUTE_MS);
  if (hours < 1) return 'less than an hour';
  if (hours < 48) return `about ${Math.round(hours)} hours`;
  return `about ${Math.round(hours / 24)} days`;
}
