// The detectors by name, with their default settings: what alerting and `omnicore anomalies` run.
import type { Detector } from './anomaly.js';
import { ewmaChart } from './ewma-chart.js';
import { madZScore } from './mad-zscore.js';
import { trendDrift } from './trend.js';

export const DETECTORS = {
  ewma: (values) => ewmaChart(values),
  mad: (values) => madZScore(values),
  trend: (values) => trendDrift(values),
} as const satisfies Record<string, Detector>;

export type DetectorName = keyof typeof DETECTORS;
export const DETECTOR_NAMES = Object.keys(DETECTORS) as DetectorName[];
