// Trend analysis: a least-squares line through (time, value) points, the time at which it reaches a
// limit (free disk reaching 0), and a detector of slow drifts — a fitted change across a rolling
// window that is large against the series' point-to-point noise.
import { type Anomaly, MAD_TO_SD, mad } from './anomaly.js';

export interface Line {
  readonly slope: number;
  readonly intercept: number;
  /** Share of the variance the line explains (0–1). */
  readonly r2: number;
}

export function fitLine(xs: readonly number[], ys: readonly number[]): Line | undefined {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return undefined;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += xs[i] as number;
    meanY += ys[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    const dy = (ys[i] as number) - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

export interface Forecast {
  /** When the fitted line reaches the limit; undefined when it is heading away from it or flat. */
  readonly at: number | undefined;
  readonly line: Line;
}

/** Fits the points and extrapolates to `limit`; undefined when there are too few points. */
export function forecastReach(
  times: readonly number[],
  values: readonly number[],
  limit: number,
): Forecast | undefined {
  const line = fitLine(times, values);
  if (!line) return undefined;
  const lastTime = times[times.length - 1] as number;
  const fittedNow = line.intercept + line.slope * lastTime;
  const towards = (limit - fittedNow) * line.slope > 0;
  if (!towards || line.slope === 0) return { at: undefined, line };
  return { at: lastTime + (limit - fittedNow) / line.slope, line };
}

export interface DriftOptions {
  /** Points in the rolling window (60). */
  window?: number;
  /** Fitted change across the window, in noise σ, beyond which it is a drift (4). */
  threshold?: number;
}

/** Flags the last point of every window whose fitted change is large against the noise. */
export function trendDrift(values: readonly number[], options: DriftOptions = {}): Anomaly[] {
  const window = options.window ?? 60;
  const threshold = options.threshold ?? 4;
  const anomalies: Anomaly[] = [];
  const positions = Array.from({ length: window }, (_, i) => i);
  for (let end = window; end <= values.length; end++) {
    const slice = values.slice(end - window, end);
    const line = fitLine(positions, slice);
    if (!line) continue;
    const noise = pointNoise(slice);
    const score = (line.slope * (window - 1)) / noise;
    if (Math.abs(score) > threshold) {
      anomalies.push({ index: end - 1, score: Math.abs(score), direction: score > 0 ? 'high' : 'low' });
    }
  }
  return anomalies;
}

/**
 * The noise of single points, from their successive differences (robust to the trend itself and to
 * an occasional step): σ ≈ MAD(Δ)·1.4826/√2.
 */
function pointNoise(values: readonly number[]): number {
  const steps = values.slice(1).map((value, i) => value - (values[i] as number));
  const noise = (mad(steps) * MAD_TO_SD) / Math.SQRT2;
  if (noise > 0) return noise;
  const level = values.reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(1, values.length);
  return Math.max(level * 1e-3, 1e-9);
}
