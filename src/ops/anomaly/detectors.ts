// The detectors by name, with their default settings, and the combined detection that alerting and
// `omnicore anomalies` run: the seasonal model where the series has a daily or weekly cycle, the
// three cycle-blind detectors where it has none (on a cyclic metric they take every evening peak
// for an incident).
import type { Detector, Point } from './anomaly.js';
import { type AnomalyEvent, type Flag, toEvents } from './events.js';
import { ewmaChart } from './ewma-chart.js';
import { madZScore } from './mad-zscore.js';
import { toGrid } from './regular-grid.js';
import { seasonalResidual } from './seasonal-baseline.js';
import { detectSeason, type SeasonName } from './seasonality.js';
import { trendDrift } from './trend.js';

const valuesOf = (points: readonly Point[]) => points.map((point) => point.value);

export const DETECTORS = {
  seasonal: (points) => seasonalResidual(points),
  ewma: (points) => ewmaChart(valuesOf(points)),
  mad: (points) => madZScore(valuesOf(points)),
  trend: (points) => trendDrift(valuesOf(points)),
} as const satisfies Record<string, Detector>;

export type DetectorName = keyof typeof DETECTORS;
export const DETECTOR_NAMES = Object.keys(DETECTORS) as DetectorName[];
const CYCLE_BLIND: readonly DetectorName[] = ['ewma', 'mad', 'trend'];

export interface Detection {
  readonly season: SeasonName;
  readonly events: AnomalyEvent[];
}

export interface DetectOptions {
  /** One detector instead of the combined detection. */
  readonly only?: DetectorName;
  /**
   * Only departures this way: for a metric where only one way is bad, a fall (say, the return
   * after an incident) must not join a new rise into one event and so hide it.
   */
  readonly direction?: 'high' | 'low';
}

/** Events in `points` (ordered by time) by the combined detection, or by one detector when named. */
export function detectEvents(points: readonly Point[], options: DetectOptions = {}): Detection {
  const grid = toGrid(points);
  const season = grid ? detectSeason(grid).name : 'none';
  const chosen = options.only ? [options.only] : season === 'none' ? CYCLE_BLIND : (['seasonal'] as const);
  const flags: Flag[] = chosen.flatMap((name) =>
    DETECTORS[name](points)
      .filter((anomaly) => !options.direction || anomaly.direction === options.direction)
      .map((anomaly) => ({ ...anomaly, detector: name })),
  );
  return { season, events: toEvents(points, flags) };
}
