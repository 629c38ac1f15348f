// Watches what the observer and the health checks report and raises alerts: a metric whose newest
// sample departs from the same hour of earlier weeks or days when the metric has such a cycle, or
// else starts an anomalous event (detectors.ts), in its bad direction and past its floor, or
// that is past its hard limit (alert-policy.ts); a forecast of free disk running out within
// `alerts.forecastHorizonHours`; and a failing health check.
import type { Logger } from '../../config/logger.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { forecastReach } from '../anomaly/trend.js';
import type { HealthResult } from '../health/health-check.js';
import type { HealthMonitor } from '../health/health-monitor.js';
import { type MetricName, OBSERVED_METRICS, type Sample } from '../observer/metric-catalog.js';
import type { Observer } from '../observer/observer.js';
import type { AlertManager } from './alert-manager.js';
import { ALERT_FLOORS, FORECAST_METRIC, HARD_LIMITS, SEASONAL_FLOORS } from './alert-policy.js';
import { formatValue, pastFloor, seasonalAnomaly, shortWindowAnomaly } from './metric-judgement.js';
import { SeasonalProfiles } from './seasonal-profiles.js';

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
  private readonly profiles: SeasonalProfiles;

  constructor(private readonly options: AnomalyWatchOptions) {
    this.profiles = new SeasonalProfiles(options.observer, options.log);
  }

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
    const floors = { ...ALERT_FLOORS, ...SEASONAL_FLOORS };
    for (const [name, floor] of Object.entries(floors) as [MetricName, number][]) {
      const value = sample.values[name];
      if (value === undefined || skip.has(name) || !pastFloor(name, value, floor)) continue;
      const points = history.flatMap((entry) => {
        const point = entry.values[name];
        return point === undefined ? [] : [{ at: entry.at, value: point }];
      });
      const profile = await this.profiles.get(name, sample.at);
      // A metric with a daily or weekly cycle is judged against it; without one, or before two cycles
      // are stored, against the live window alone.
      const seasonal = profile ? seasonalAnomaly(name, floor, points, profile) : undefined;
      const seasonalOnly = name in SEASONAL_FLOORS;
      const found = seasonal === undefined && !seasonalOnly ? shortWindowAnomaly(name, floor, points) : seasonal;
      if (!found) continue;
      await this.options.alerts.raise({
        kind: 'anomaly',
        subject: name,
        incident: metricIncident(name),
        detector: found.detector,
        value,
        score: found.score,
        message: `${name} is ${formatValue(value)}, ${found.why}: ${OBSERVED_METRICS[name].help}.`,
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

/** "about 3 days", "about 5 hours", "less than an hour". */
export function aboutDuration(ms: number): string {
  const hours = ms / (60 * MINUTE_MS);
  if (hours < 1) return 'less than an hour';
  if (hours < 48) return `about ${Math.round(hours)} hours`;
  return `about ${Math.round(hours / 24)} days`;
}
