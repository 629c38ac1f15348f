// The mutation engine's statistics on simulated users with known answers (seeded, so the figures
// printed are the same on every run): a better arm is found within the sample the power calculation
// predicts, a harmful one within the guard's, and an A/A test, looked at every 50 users, declares a
// difference in no more seeds than alpha allows.
import { describe, expect, it } from 'vitest';
import {
  compareRates,
  normalQuantile,
  type SequentialOptions,
  sequentialSampleSize,
  textbookSampleSize,
} from '../../../src/ops/experiments/sequential-test.js';
import { random } from '../../support/seeded-random.js';

const OPTIONS: SequentialOptions = { alpha: 0.05, tau: 0.02 };
const SEEDS = 200;
const LOOK_EVERY = 50;

/** Users enter both arms in turn; returns when the interval first leaves 0 and on which side. */
function simulate(control: number, arm: number, seed: number, maxPerArm: number) {
  const next = random(seed);
  const a = { successes: 0, trials: 0 };
  const c = { successes: 0, trials: 0 };
  while (a.trials < maxPerArm) {
    c.trials++;
    if (next() < control) c.successes++;
    a.trials++;
    if (next() < arm) a.successes++;
    if (a.trials % LOOK_EVERY !== 0) continue;
    const difference = compareRates(a, c, OPTIONS);
    if (difference && difference.low > 0) return { verdict: 'higher', users: a.trials } as const;
    if (difference && difference.high < 0) return { verdict: 'lower', users: a.trials } as const;
  }
  return { verdict: 'none', users: maxPerArm } as const;
}

const seeds = (from: number) => Array.from({ length: SEEDS }, (_, index) => from + index);

describe('sequential test', () => {
  it('computes the textbook sample size and normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    // (1.96 + 0.84)² × (0.1·0.9 + 0.13·0.87) / 0.03² per arm.
    expect(textbookSampleSize(0.1, 0.13, 0.05, 0.8)).toBe(1772);
    expect(compareRates({ successes: 3, trials: 29 }, { successes: 3, trials: 500 }, OPTIONS)).toBeUndefined();
  });

  it('finds a planted better arm within the sample its power calculation predicts', () => {
    const predicted = sequentialSampleSize(0.1, 0.13, OPTIONS, 0.8);
    const runs = seeds(1).map((seed) => simulate(0.1, 0.13, seed, 4 * predicted));
    const within = runs.filter((run) => run.verdict === 'higher' && run.users <= predicted).length;
    console.log(
      `experiments: 10 % → 13 %, found within ${predicted} users per arm in ${within}/${SEEDS} seeds ` +
        `(a fixed test needs ${textbookSampleSize(0.1, 0.13, 0.05, 0.8)}, but may be read only once)`,
    );
    expect(within / SEEDS).toBeGreaterThanOrEqual(0.8);
    expect(runs.some((run) => run.verdict === 'lower')).toBe(false);
  });

  it("finds a planted harmful arm within the guard's window", () => {
    // Errors: 2 % under control, 5 % under the arm.
    const window = sequentialSampleSize(0.02, 0.05, OPTIONS, 0.8);
    const runs = seeds(5000).map((seed) => simulate(0.02, 0.05, seed, 4 * window));
    const within = runs.filter((run) => run.verdict === 'higher' && run.users <= window).length;
    console.log(`experiments: errors 2 % → 5 %, caught within ${window} users per arm in ${within}/${SEEDS} seeds`);
    expect(within / SEEDS).toBeGreaterThanOrEqual(0.8);
  });

  it('declares no difference in an A/A test in more seeds than alpha allows, however often it looks', () => {
    const runs = seeds(10_000).map((seed) => simulate(0.1, 0.1, seed, 20_000));
    const declared = runs.filter((run) => run.verdict !== 'none').length;
    console.log(
      `experiments: A/A at 10 %, 20,000 users per arm looked at every ${LOOK_EVERY}: ${declared}/${SEEDS} declared`,
    );
    expect(declared).toBeLessThanOrEqual(OPTIONS.alpha * SEEDS);
  });
});
