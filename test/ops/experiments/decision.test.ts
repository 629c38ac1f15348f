// Decisions on experiments' tallies: guards revert at once, before any promotion; a winner is
// promoted only after every arm's minimum sample; an experiment past its time ends with control; and
// over seeded A/A runs with two arms, promotions stay within alpha although both arms are compared.
import { describe, expect, it } from 'vitest';
import { type ArmTally, type DecisionRules, decide } from '../../../src/ops/experiments/decision.js';
import { random } from '../../support/seeded-random.js';

const RULES: DecisionRules = {
  alpha: 0.05,
  tau: 0.02,
  minUsersPerArm: 500,
  maxDurationMs: 14 * 86_400_000,
  guardBounds: { errors: 0.005 },
};

const tally = (arm: string, completed: number, users: number, errors = Math.round(users * 0.02)): ArmTally => ({
  arm,
  primary: { successes: completed, trials: users },
  guards: { errors: { successes: errors, trials: users } },
});

describe('experiment decisions', () => {
  it('promotes the arm that clearly beats control, once every arm has its minimum sample', () => {
    const control = tally('control', 300, 3000);
    const better = tally('b', 450, 3000);
    expect(decide(control, [better, tally('c', 310, 3000)], RULES, 0)).toMatchObject({ kind: 'promote', arm: 'b' });
    // The same rates before the minimum sample: not yet.
    expect(decide(tally('control', 40, 400), [tally('b', 80, 400)], RULES, 0)).toEqual({ kind: 'continue' });
  });

  it('reverts at once an arm whose errors rise past the bound, even while it wins on the primary metric', () => {
    const decision = decide(tally('control', 300, 3000, 60), [tally('b', 450, 3000, 240)], RULES, 0);
    expect(decision).toMatchObject({ kind: 'revert', arm: 'b', guard: 'errors' });
    // Within the bound (half a point more errors is allowed): no revert.
    expect(decide(tally('control', 300, 3000, 60), [tally('b', 300, 3000, 66)], RULES, 0)).toEqual({
      kind: 'continue',
    });
  });

  it('ends with control when the maximum duration passes without a winner', () => {
    const even = [tally('control', 300, 3000), [tally('b', 301, 3000)]] as const;
    expect(decide(even[0], even[1], RULES, RULES.maxDurationMs - 1)).toEqual({ kind: 'continue' });
    expect(decide(even[0], even[1], RULES, RULES.maxDurationMs)).toEqual({ kind: 'expire' });
  });

  it('promotes in no more A/A runs than alpha allows when two arms are compared with control', () => {
    let promoted = 0;
    const seeds = 200;
    for (let seed = 1; seed <= seeds; seed++) {
      const next = random(70_000 + seed);
      const counts = [0, 0, 0].map(() => ({ completed: 0, errors: 0 }));
      for (let users = 1; users <= 10_000; users++) {
        for (const count of counts) {
          if (next() < 0.1) count.completed++;
          if (next() < 0.02) count.errors++;
        }
        if (users % 100 !== 0) continue;
        const [control, b, c] = counts.map((count, index) =>
          tally(['control', 'b', 'c'][index] as string, count.completed, users, count.errors),
        ) as [ArmTally, ArmTally, ArmTally];
        const decision = decide(control, [b, c], RULES, 0);
        if (decision.kind === 'promote') promoted++;
        if (decision.kind !== 'continue') break;
      }
    }
    console.log(`experiments: A/A with two arms, 10,000 users each, read every 100: ${promoted}/${seeds} promoted`);
    expect(promoted).toBeLessThanOrEqual(RULES.alpha * seeds);
  });
});
