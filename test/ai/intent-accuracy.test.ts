// Intent accuracy of the local conversation engine on the held-out set (test/ai/held-out.ts): trained
// on the repo's corpus plus the core commands and the test plugins' commands, as the bot would be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/ai/local/engine.js';
import { evaluate, percent, splitBySeen, trainedEngine } from '../support/intent-evaluation.js';
import { HELD_OUT } from './held-out.js';

/**
 * The floor: well above what guessing the most common label would score (under 10%), and a few
 * sentences of margin below the figure measured with the n-gram model beside the network (93.3%,
 * 347 of 372), so that a corpus or model edit that costs more than that fails here.
 */
const ACCURACY_FLOOR = 0.92;

describe('local engine intent accuracy', () => {
  let engine: LocalEngine;

  beforeAll(async () => {
    engine = await trainedEngine();
  });

  afterAll(() => engine.close());

  it('never trains on a held-out sentence', () => {
    expect(splitBySeen(HELD_OUT, 'en').trained).toEqual([]);
  });

  it(`classifies at least ${ACCURACY_FLOOR * 100}% of the held-out sentences right`, async () => {
    const result = await evaluate(engine, HELD_OUT, 'en');
    const misses = result.misses.map(
      (miss) => `"${miss.text}": expected ${miss.expected}, got ${miss.got} (${miss.confidence})`,
    );
    console.log(
      `held-out intent accuracy: ${percent(result.correct, result.total)} (${result.correct}/${result.total})\n${misses.join('\n')}`,
    );
    expect(result.correct / result.total).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
  });
});
