// Sticky assignment: the same user gets the same arm every time, arms are even, the traffic share is
// kept, and two experiments split users independently of each other.
import { describe, expect, it } from 'vitest';
import { assignArm } from '../../../src/ops/experiments/assignment.js';

const USERS = Array.from({ length: 60_000 }, (_, index) => 10_000 + index * 7);

describe('assignment', () => {
  it('gives a user the same arm every time', () => {
    for (const userId of USERS.slice(0, 500)) {
      expect(assignArm('welcome', userId, 3, 0.5)).toBe(assignArm('welcome', userId, 3, 0.5));
    }
  });

  it('keeps to the share and splits the users in it evenly among the arms', () => {
    const counts = [0, 0, 0];
    let outside = 0;
    for (const userId of USERS) {
      const arm = assignArm('welcome', userId, 3, 0.3);
      if (arm === undefined) outside++;
      else counts[arm] = (counts[arm] ?? 0) + 1;
    }
    const inside = USERS.length - outside;
    // 60,000 users: a share is within 1.5 % of 0.3, an arm within 3 % of a third of those inside.
    expect(inside / USERS.length).toBeGreaterThan(0.3 * 0.985);
    expect(inside / USERS.length).toBeLessThan(0.3 * 1.015);
    for (const count of counts) expect(Math.abs(count / inside - 1 / 3)).toBeLessThan(0.01);
  });

  it('splits users independently in two experiments', () => {
    const together = new Map<string, number>();
    for (const userId of USERS) {
      const key = `${assignArm('welcome', userId, 2, 1)}:${assignArm('threshold', userId, 2, 1)}`;
      together.set(key, (together.get(key) ?? 0) + 1);
    }
    // Each of the four combinations holds about a quarter, as it would if the two were unrelated.
    expect([...together.keys()].sort()).toEqual(['0:0', '0:1', '1:0', '1:1']);
    for (const count of together.values()) expect(Math.abs(count / USERS.length - 0.25)).toBeLessThan(0.01);
  });

  it('refuses an experiment of one arm or a share outside (0, 1]', () => {
    expect(() => assignArm('welcome', 1, 1, 0.5)).toThrow(/at least 2 arms/);
    expect(() => assignArm('welcome', 1, 2, 0)).toThrow(/share 0/);
    expect(() => assignArm('welcome', 1, 2, 1.5)).toThrow(/share 1.5/);
  });
});
