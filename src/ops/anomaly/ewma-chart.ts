// EWMA control chart: the smoothed statistic z = λx + (1−λ)z against limits L·σ·√(λ/(2−λ)) around a
// baseline. Smoothing makes it sensitive to small sustained shifts that single points don't show.
// The baseline (mean and σ) itself follows the series slowly, with each point's pull clipped at
// `clip`·σ, so that a spike barely moves it while a lasting new level is adopted in time.
import type { Anomaly } from './anomaly.js';

export interface EwmaOptions {
  /** Weight of the newest point in the chart statistic (0.3). */
  lambda?: number;
  /** Control-limit width in standard errors of the statistic (3.5). */
  limit?: number;
  /** Rate at which the baseline mean and variance follow the series (0.03). */
  baselineRate?: number;
  /** Largest pull of one point on the baseline, in σ (3). */
  clip?: number;
  /** Points used to start the baseline before anything is judged (20). */
  warmUp?: number;
}

export function ewmaChart(values: readonly number[], options: EwmaOptions = {}): Anomaly[] {
  const lambda = options.lambda ?? 0.3;
  const limit = options.limit ?? 3.5;
  const rate = options.baselineRate ?? 0.03;
  const clip = options.clip ?? 3;
  const warmUp = options.warmUp ?? 20;
  if (values.length <= warmUp) return [];
  const start = values.slice(0, warmUp);
  let mean = start.reduce((sum, value) => sum + value, 0) / warmUp;
  let variance = start.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, warmUp - 1);
  let statistic = mean;
  const floor = Math.max(Math.abs(mean) * 1e-3, 1e-9);
  const spread = Math.sqrt(lambda / (2 - lambda));
  const anomalies: Anomaly[] = [];
  for (let index = warmUp; index < values.length; index++) {
    const value = values[index] as number;
    const sigma = Math.max(Math.sqrt(variance), floor);
    statistic = lambda * value + (1 - lambda) * statistic;
    const score = (statistic - mean) / (sigma * spread);
    if (Math.abs(score) > limit)
      anomalies.push({ index, score: Math.abs(score), direction: score > 0 ? 'high' : 'low' });
    const pull = Math.max(-clip * sigma, Math.min(clip * sigma, value - mean));
    mean += rate * pull;
    variance = (1 - rate) * variance + rate * pull * pull;
  }
  return anomalies;
}
