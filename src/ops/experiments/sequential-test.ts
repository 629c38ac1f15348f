// The mutation engine's statistics: an arm's rate against control's, judged with an always-valid
// confidence sequence (the mixture sequential probability ratio test, Johari et al. 2017, on the
// normal approximation of a difference of proportions). An experiment is looked at after every
// user; a plain confidence interval checked that often would declare a winner in most A/A tests,
// while this one keeps its error rate at `alpha` however often it is read.

export interface RateSample {
  /** Users who did what the metric counts (completed, bought, saw an error…). */
  readonly successes: number;
  readonly trials: number;
}

export interface Difference {
  /** The arm's rate minus control's. */
  readonly estimate: number;
  /** Holds the true difference at every look, together, with probability 1 - alpha. */
  readonly low: number;
  readonly high: number;
}

export interface SequentialOptions {
  /** The chance of ever declaring a difference that is not there. */
  readonly alpha: number;
  /**
   * The spread of differences the test is tuned to find (the mixture's standard deviation): about
   * the smallest difference worth acting on. Smaller finds small ones sooner and large ones later.
   */
  readonly tau: number;
}

/** Below this many users on either side the normal approximation is not to be trusted. */
export const MIN_TRIALS = 30;

/** The always-valid interval for arm − control; undefined while either side has too few users. */
export function compareRates(arm: RateSample, control: RateSample, options: SequentialOptions): Difference | undefined {
  if (arm.trials < MIN_TRIALS || control.trials < MIN_TRIALS) return undefined;
  const armRate = arm.successes / arm.trials;
  const controlRate = control.successes / control.trials;
  // A rate of exactly 0 or 1 has no spread; half a success either way keeps the variance honest.
  const variance = spread(arm) / arm.trials + spread(control) / control.trials;
  const width = halfWidth(variance, options);
  const estimate = armRate - controlRate;
  return { estimate, low: estimate - width, high: estimate + width };
}

/** The confidence sequence's half-width for an estimate of variance `variance`. */
function halfWidth(variance: number, { alpha, tau }: SequentialOptions): number {
  const tau2 = tau * tau;
  return Math.sqrt(
    ((variance * (variance + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)),
  );
}

function spread({ successes, trials }: RateSample): number {
  const rate = Math.min(Math.max(successes, 0.5), trials - 0.5) / trials;
  return rate * (1 - rate);
}

/**
 * Users per arm a fixed-horizon two-sided test of two proportions needs to find `from` → `to` with
 * `power` at `alpha` (the textbook formula): what an operator is told an experiment will take.
 */
export function textbookSampleSize(from: number, to: number, alpha: number, power: number): number {
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return Math.ceil((z * z * (from * (1 - from) + to * (1 - to))) / ((to - from) * (to - from)));
}

/**
 * Users per arm by which this test finds `from` → `to` with probability `power`: where the estimate,
 * `power`'s quantile below the true difference, clears the always-valid half-width. Earlier looks
 * can only stop it sooner. Always-valid intervals are wider than a fixed test's, so this is more
 * than `textbookSampleSize`: the price of being free to look at every user.
 */
export function sequentialSampleSize(from: number, to: number, options: SequentialOptions, power: number): number {
  const effect = Math.abs(to - from);
  const perUser = from * (1 - from) + to * (1 - to);
  const enough = (n: number) =>
    halfWidth(perUser / n, options) + normalQuantile(power) * Math.sqrt(perUser / n) <= effect;
  let high = MIN_TRIALS;
  while (!enough(high)) high *= 2;
  let low = high / 2;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (enough(middle)) high = middle;
    else low = middle;
  }
  return Math.max(high, MIN_TRIALS);
}

/** Acklam's rational approximation of the standard normal quantile (error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: ${p} is not strictly between 0 and 1`);
  if (p > 1 - TAIL) return -normalQuantile(1 - p);
  if (p < TAIL) {
    const q = Math.sqrt(-2 * Math.log(p));
    return horner(C, q) / horner(D, q);
  }
  const q = p - 0.5;
  return (q * horner(A, q * q)) / horner(B, q * q);
}

const TAIL = 0.02425;
const A = [
  -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716, 2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1];

/** The polynomial with these coefficients, highest power first, at x. */
function horner(coefficients: readonly number[], x: number): number {
  return coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);
}
