// What a plugin verb's progress looks like on stderr: a bar redrawn in place on a terminal, a line
// at most every 2 s (and the last state at the end) elsewhere, and a refusal of what is no count.
import { describe, expect, it } from 'vitest';
import { progressOn, progressText } from '../../src/cli/progress.js';

function output(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('progress', () => {
  it('writes a bar with the percentage and the counts, or the count alone without a total', () => {
    expect(progressText(5000, 10_000)).toBe('[#####.....] 50% 5,000/10,000');
    expect(progressText(0, 3)).toBe('[..........] 0% 0/3');
    expect(progressText(12, 10)).toBe('[##########] 100% 12/10');
    expect(progressText(1234)).toBe('1,234 done');
  });

  it('prints a line at most every 2 s off a terminal, and the last state at the end', () => {
    let now = 0;
    const stderr = output(false);
    const progress = progressOn(stderr, () => now);
    progress.report(1, 4);
    now = 1999;
    progress.report(2, 4);
    now = 2000;
    progress.report(3, 4);
    progress.report(4, 4);
    progress.end();
    expect(stderr.written).toEqual(['[##........] 25% 1/4\n', '[#######...] 75% 3/4\n', '[##########] 100% 4/4\n']);
  });

  it('redraws the bar in place on a terminal and ends its line', () => {
    let now = 0;
    const stderr = output(true);
    const progress = progressOn(stderr, () => now);
    progress.report(1, 2);
    now = 50;
    progress.report(2, 2);
    progress.end();
    expect(stderr.written).toEqual(['\r\u001b[K[#####.....] 50% 1/2', '\r\u001b[K[##########] 100% 2/2', '\n']);
  });

  it('says nothing for a verb that reported nothing, and refuses what is no count', () => {
    const stderr = output(false);
    const progress = progressOn(stderr);
    progress.end();
    expect(stderr.written).toEqual([]);
    expect(() => progress.report(Number.NaN)).toThrow(/done and total are numbers/);
    expect(() => progress.report(1, -1)).toThrow(/done and total are numbers/);
  });
});
