// Finds the cycle a metric follows, from the data alone: the autocorrelation of the series, with
// its slow level (a moving average over one candidate cycle) taken out, at the daily and weekly
// lags. Taking the level out matters: a level shift or a trend correlates with itself at every lag
// and would pass for a season. A lag counts only when it stands out against half of it, where a real
// cycle is in opposite phase.
import type { Grid } from './regular-grid.js';

export type SeasonName = 'daily' | 'weekly' | 'none';

export interface Season {
  readonly name: SeasonName;
  /** Cells per cycle; 0 for none. */
  readonly lag: number;
}

const DAY_MS = 86_400_000;
/** Autocorrelation a cycle needs at its lag, and its lead over the half lag (0.5 and 0.6). */
const MIN_ACF = 0.5;
const MIN_LEAD = 0.6;
/**
 * A weekly cycle is chosen over the daily one when a week ago predicts clearly better than a day
 * ago: the mean squared change over a week is under this share of that over a day (weekend dips).
 * Correlation alone cannot tell: a weekend that is a scaled-down weekday still correlates well.
 */
const WEEKLY_SHARE = 0.75;
/** Cycles a series must span before its season is trusted (3: two to learn from, one to judge). */
const MIN_CYCLES = 3;
/** Fewer cells per cycle than this cannot show a daily shape (hourly sampling gives 24). */
const MIN_CELLS_PER_CYCLE = 12;

export const NO_SEASON: Season = { name: 'none', lag: 0 };

export function detectSeason(grid: Grid): Season {
  const daily = Math.round(DAY_MS / grid.step);
  if (daily < MIN_CELLS_PER_CYCLE || grid.values.length < MIN_CYCLES * daily) return NO_SEASON;
  const residual = withoutLevel(grid.values, daily);
  if (seasonalStrength(residual, daily) < MIN_ACF) return NO_SEASON;
  if (grid.values.length >= MIN_CYCLES * 7 * daily) {
    if (meanSquaredChange(residual, 7 * daily) < WEEKLY_SHARE * meanSquaredChange(residual, daily)) {
      return { name: 'weekly', lag: 7 * daily };
    }
  }
  return { name: 'daily', lag: daily };
}

function meanSquaredChange(values: Float64Array, lag: number): number {
  let n = 0;
  let total = 0;
  for (let i = lag; i < values.length; i++) {
    const change = (values[i] as number) - (values[i - lag] as number);
    if (Number.isNaN(change)) continue;
    n++;
    total += change * change;
  }
  return n === 0 ? Number.POSITIVE_INFINITY : total / n;
}

/** ACF(lag) of the series with its level taken out, where it leads ACF(lag/2) by MIN_LEAD, else −1. */
function seasonalStrength(residual: Float64Array, lag: number): number {
  const full = autocorrelation(residual, lag);
  const half = autocorrelation(residual, Math.round(lag / 2));
  return full - half >= MIN_LEAD ? full : -1;
}

/** The series minus its centred moving average over one cycle (which holds no cycle of that length). */
function withoutLevel(values: Float64Array, window: number): Float64Array {
  const sums = new Float64Array(values.length + 1);
  const counts = new Float64Array(values.length + 1);
  values.forEach((value, i) => {
    const known = Number.isNaN(value) ? 0 : 1;
    sums[i + 1] = (sums[i] as number) + (known ? value : 0);
    counts[i + 1] = (counts[i] as number) + known;
  });
  const half = Math.floor(window / 2);
  return values.map((value, i) => {
    const from = Math.max(0, i - half);
    const to = Math.min(values.length, i + half + 1);
    const count = (counts[to] as number) - (counts[from] as number);
    return count === 0 ? Number.NaN : value - ((sums[to] as number) - (sums[from] as number)) / count;
  });
}

/** Pearson correlation of the series with itself `lag` cells later, over pairs both recorded. */
function autocorrelation(values: Float64Array, lag: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i + lag < values.length; i++) {
    const x = values[i] as number;
    const y = values[i + lag] as number;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    syy += y * y;
    sxy += x * y;
  }
  const cov = sxy - (sx * sy) / Math.max(1, n);
  const varX = sxx - (sx * sx) / Math.max(1, n);
  const varY = syy - (sy * sy) / Math.max(1, n);
  return varX > 0 && varY > 0 ? cov / Math.sqrt(varX * varY) : 0;
}
