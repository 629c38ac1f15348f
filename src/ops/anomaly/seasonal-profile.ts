// The seasonal model for live alerting: a metric's stored history on a grid, its season and the usual
// residual scale over the last cycle, built once per refresh so that judging a new sample is a few
// lookups (seasonal-baseline.ts scores a whole series, far too much work for every sample).
import { median, type Point, robustScale } from './anomaly.js';
import { type Grid, toGrid } from './regular-grid.js';
import { detectSeason, type Season } from './seasonality.js';

export interface SeasonalProfile {
  readonly season: Season;
  readonly grid: Grid;
  /** The usual residual over the last cycle: a steady trend leaves the earlier cycles a little behind. */
  readonly centre: number;
  /** Robust σ of the residuals over the last cycle, never below a tiny share of the level. */
  readonly scale: number;
}

export interface SeasonalJudgement {
  /** What the same phase of earlier cycles says the value should be. */
  readonly expected: number;
  /** Departure from `expected` in usual residual σ, signed. */
  readonly score: number;
  readonly anomalous: boolean;
}

/** Earlier cycles whose same-phase values make the expected value, as in seasonal-baseline.ts. */
const CYCLES = 3;
const THRESHOLD = 5.5;
/** Cells either side of the phase also count: a peak that starts a few minutes late is no incident. */
const PHASE_SLACK = 2;
/** A scale floor as a share of the typical level, so that a noise-free series' rounding is no alarm. */
const SCALE_FLOOR = 1e-4;

/** Undefined when the history shows no daily or weekly season (or not two cycles of one). */
export function seasonalProfile(points: readonly Point[]): SeasonalProfile | undefined {
  const grid = toGrid(points);
  if (!grid) return undefined;
  const season = detectSeason(grid);
  if (season.name === 'none') return undefined;
  const residuals: number[] = [];
  for (let cell = Math.max(0, grid.values.length - season.lag); cell < grid.values.length; cell++) {
    const value = grid.values[cell] as number;
    const usual = Number.isNaN(value) ? undefined : samePhase(grid, season.lag, cell);
    if (usual !== undefined) residuals.push(value - usual);
  }
  if (residuals.length === 0) return undefined;
  const known = [...grid.values].filter((value) => !Number.isNaN(value));
  const floor = Math.max(median(known.map(Math.abs)) * SCALE_FLOOR, 1e-9);
  const centre = median(residuals);
  return { season, grid, centre, scale: Math.max(robustScale(residuals, centre), floor) };
}

/**
 * Judges `value` at `at` (usually just past the history) against the same phase of the last cycles,
 * beyond the larger of the usual scale and `noise` (the sample's own recent noise: raw samples
 * scatter more than the minute means the history holds). Undefined with fewer than two cycles there.
 */
export function judgeSeasonal(
  profile: SeasonalProfile,
  at: number,
  value: number,
  noise = 0,
): SeasonalJudgement | undefined {
  const { grid, season } = profile;
  const usual = samePhase(grid, season.lag, Math.round((at - grid.start) / grid.step));
  if (usual === undefined) return undefined;
  const expected = usual + profile.centre;
  const departure = value - expected;
  return {
    expected,
    score: departure / profile.scale,
    anomalous: Math.abs(departure) > THRESHOLD * Math.max(profile.scale, noise),
  };
}

/** The median of the same phase (± PHASE_SLACK cells) in the last CYCLES cycles before `cell`. */
function samePhase(grid: Grid, lag: number, cell: number): number | undefined {
  const earlier: number[] = [];
  let cycles = 0;
  for (let k = 1; k <= CYCLES; k++) {
    const centre = cell - k * lag;
    const before = earlier.length;
    for (let near = centre - PHASE_SLACK; near <= centre + PHASE_SLACK; near++) {
      const past = near >= 0 && near < grid.values.length ? (grid.values[near] as number) : Number.NaN;
      if (!Number.isNaN(past)) earlier.push(past);
    }
    if (earlier.length > before) cycles++;
  }
  return cycles >= 2 ? median(earlier) : undefined;
}
