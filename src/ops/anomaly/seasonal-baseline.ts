// Seasonal detector: each point against the median of the same phase in the last `cycles` cycles
// (robust: a spike or an incident in one earlier cycle does not move it), the residual scored
// against the MAD of recent residuals. The scale is the larger of a long one (the last cycle: what is
// usual for this metric) and a short one (the last few points: a noisy hour is judged against its
// own noise, so doubled noise is not an incident); the departure is taken from the usual residual
// over that cycle (a steady trend leaves the earlier cycles a little behind). Judges nothing before
// two cycles are known.
import { type Anomaly, median, type Point, robustScale } from './anomaly.js';
import { toGrid } from './regular-grid.js';
import { detectSeason, type Season } from './seasonality.js';

export interface SeasonalOptions {
  /** Earlier cycles whose same-phase values make the expected value (3). */
  cycles?: number;
  /** Residual, in robust σ, beyond which a point is anomalous (5.5). */
  threshold?: number;
  /** Points in the short scale window (12). */
  shortWindow?: number;
}

/**
 * How often the long scale (a MAD over a whole cycle) is recomputed: it moves slowly, and sorting a
 * week of minutes at every point would take seconds. At least every 12 points, 48 times a cycle.
 */
const longScaleEvery = (lag: number) => Math.max(12, Math.floor(lag / 48));
/** Cells either side of a flag that count as the same incident (the gap events.ts joins flags over). */
const INCIDENT_GAP = 6;
/**
 * How far back, in multiples of `cycles`, usual cycles are looked for past flagged ones. A lasting
 * change is still learnt: once that many cycles at its new level are flagged nothing is left to judge
 * by, and the new level becomes the usual one.
 */
const LOOK_BACK = 2;
/** A scale floor as a share of the typical level, so that a noise-free series' rounding is no alarm. */
const SCALE_FLOOR = 1e-4;

/** Finds the season itself; a series with none gets no judgement from this detector. */
export function seasonalResidual(points: readonly Point[], options: SeasonalOptions = {}): Anomaly[] {
  const grid = toGrid(points);
  if (!grid) return [];
  const season = detectSeason(grid);
  if (season.name === 'none') return [];
  const flagged = scoreCells(grid.values, season, options);
  return points.flatMap((_, index) => {
    const found = flagged.get(grid.cellOf[index] as number);
    return found ? [{ ...found, index }] : [];
  });
}

function scoreCells(
  values: Float64Array,
  season: Season,
  options: SeasonalOptions,
): Map<number, Omit<Anomaly, 'index'>> {
  const cycles = options.cycles ?? 3;
  const threshold = options.threshold ?? 5.5;
  const shortWindow = options.shortWindow ?? 12;
  const lag = season.lag;
  const every = longScaleEvery(lag);
  const known = [...values].filter((value) => !Number.isNaN(value));
  const floor = Math.max(median(known.map(Math.abs)) * SCALE_FLOOR, 1e-9);
  // Residuals from the first cycle on (one earlier cycle suffices to learn the scale); judged from two.
  const residuals: number[] = [];
  // Residuals of unflagged points only: an incident must not teach the long scale that it is usual.
  const usual: number[] = [];
  let longScale = Number.NaN;
  let longCentre = 0;
  const flagged = new Map<number, Omit<Anomaly, 'index'>>();
  for (let cell = lag; cell < values.length; cell++) {
    const value = values[cell] as number;
    if (Number.isNaN(value)) continue;
    // An earlier cycle flagged at this phase (or among flags) held an incident, not what is usual: two
    // such cycles out of three (a level shift one day, a spike another) would make the median an
    // incident, and the normal point now a dip. The last `cycles` cycles free of incidents are taken.
    const earlier: number[] = [];
    for (let k = 1; k <= LOOK_BACK * cycles && earlier.length < cycles && cell - k * lag >= 0; k++) {
      const past = values[cell - k * lag] as number;
      if (!Number.isNaN(past) && !nearFlag(flagged, cell - k * lag)) earlier.push(past);
    }
    if (earlier.length === 0) continue;
    const residual = value - expected(earlier, value);
    if (cell >= 2 * lag && earlier.length >= 2 && residuals.length >= shortWindow) {
      if (Number.isNaN(longScale) || residuals.length % every === 0) {
        const recent = usual.slice(-lag);
        longCentre = median(recent);
        longScale = robustScale(recent, longCentre);
      }
      const short = residuals.slice(-shortWindow);
      // From the usual residual, not zero: a trend leaves the earlier cycles' median a little behind.
      const departure = residual - longCentre;
      // Judged against the larger scale; scored against the usual one, so that a score says how far
      // from normal the point is (a ramp's scores keep growing: events.ts tells drifts by that).
      if (Math.abs(departure) > threshold * Math.max(longScale, robustScale(short, median(short)), floor)) {
        const score = departure / Math.max(longScale, floor);
        flagged.set(cell, { score: Math.abs(score), direction: score > 0 ? 'high' : 'low' });
      }
    }
    residuals.push(residual);
    if (!flagged.has(cell)) usual.push(residual);
  }
  return flagged;
}

/** Whether `cell` is flagged or lies among flags (within an event's gap): part of an incident. */
function nearFlag(flagged: ReadonlyMap<number, unknown>, cell: number): boolean {
  for (let near = cell - INCIDENT_GAP; near <= cell + INCIDENT_GAP; near++) if (flagged.has(near)) return true;
  return false;
}

/**
 * The median of the same phase in earlier cycles. Two cycles have no robust median (it is their
 * mean, and an incident in one would show up again a cycle later), so of two the nearer is taken:
 * a normal point matches the normal cycle, and an anomalous one is far from both.
 */
function expected(earlier: readonly number[], value: number): number {
  if (earlier.length !== 2) return median(earlier);
  const [a, b] = earlier as [number, number];
  return Math.abs(value - a) <= Math.abs(value - b) ? a : b;
}
