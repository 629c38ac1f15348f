// The seasonal model for live alerting: a metric's stored history on a grid, its season and the usual
// residual scale over the last cycle, built once per refresh so that judging a new sample is a few
// lookups (seasonal-baseline.ts scores a whole series, far too much work for every sample). The
// history is per-minute means for a daily cycle, or hourly summaries (mean and range) for a weekly one.
import { median, type Point, robustScale } from './anomaly.js';
import { type Grid, toGrid } from './regular-grid.js';
import { detectSeason, type Season } from './seasonality.js';

/** A history point; a coarse one (an hour of minutes) also carries the range of what it summarises. */
export interface SummaryPoint extends Point {
  readonly low?: number;
  readonly high?: number;
}

export interface SeasonalProfile {
  readonly season: Season;
  readonly grid: Grid;
  /** Half the range within each cell, where the points carried one: a sample inside an hour may sit anywhere in it. */
  readonly spread: Grid | undefined;
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
/**
 * Cells either side of the phase also count: a peak that starts a few minutes late is no incident.
 * Not on coarse cells (hours), whose range (`spread`) covers such lateness.
 */
const PHASE_SLACK = 2;
/** A scale floor as a share of the typical level, so that a noise-free series' rounding is no alarm. */
const SCALE_FLOOR = 1e-4;

/** Undefined when the history shows no daily or weekly season (or not two cycles of one). */
export function seasonalProfile(points: readonly SummaryPoint[]): SeasonalProfile | undefined {
  const grid = toGrid(points);
  if (!grid) return undefined;
  const season = detectSeason(grid);
  if (season.name === 'none') return undefined;
  const ranged = points.every((point) => point.low !== undefined && point.high !== undefined);
  const spread = ranged
    ? toGrid(points.map((point) => ({ at: point.at, value: ((point.high as number) - (point.low as number)) / 2 })))
    : undefined;
  const slack = spread ? 0 : PHASE_SLACK;
  const residuals: number[] = [];
  for (let cell = Math.max(0, grid.values.length - season.lag); cell < grid.values.length; cell++) {
    const value = grid.values[cell] as number;
    const usual = Number.isNaN(value) ? undefined : samePhase(grid, season.lag, cell, slack);
    if (usual !== undefined) residuals.push(value - usual);
  }
  if (residuals.length === 0) return undefined;
  const known = [...grid.values].filter((value) => !Number.isNaN(value));
  const floor = Math.max(median(known.map(Math.abs)) * SCALE_FLOOR, 1e-9);
  const centre = median(residuals);
  return { season, grid, spread, centre, scale: Math.max(robustScale(residuals, centre), floor) };
}

/**
 * Judges `value` at `at` (usually just past the history) against the same phase of the last cycles,
 * beyond the larger of the usual scale and `noise` (the sample's own recent noise: raw samples
 * scatter more than the minute means the history holds), plus, on coarse cells, the usual half range
 * within the cell. Undefined with fewer than two cycles there.
 */
export function judgeSeasonal(
  profile: SeasonalProfile,
  at: number,
  value: number,
  noise = 0,
): SeasonalJudgement | undefined {
  const { grid, season, spread } = profile;
  const cell = Math.round((at - grid.start) / grid.step);
  const usual = samePhase(grid, season.lag, cell, spread ? 0 : PHASE_SLACK);
  if (usual === undefined) return undefined;
  const within = spread ? (samePhase(spread, season.lag, cell, 0) ?? 0) : 0;
  const expected = usual + profile.centre;
  const departure = value - expected;
  return {
    expected,
    score: departure / profile.scale,
    anomalous: Math.abs(departure) > THRESHOLD * Math.max(profile.scale, noise) + within,
  };
}

/** The median of the same phase (± `slack` cells) in the last CYCLES cycles before `cell`. */
function samePhase(grid: Grid, lag: number, cell: number, slack: number): number | undefined {
  const earlier: number[] = [];
  let cycles = 0;
  for (let k = 1; k <= CYCLES; k++) {
    const centre = cell - k * lag;
    const before = earlier.length;
    for (let near = centre - slack; near <= centre + slack; near++) {
      const past = near >= 0 && near < grid.values.length ? (grid.values[near] as number) : Number.NaN;
      if (!Number.isNaN(past)) earlier.push(past);
    }
    if (earlier.length > before) cycles++;
  }
  return cycles >= 2 ? median(earlier) : undefined;
}
