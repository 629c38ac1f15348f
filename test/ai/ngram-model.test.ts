// The letter n-gram model: it places words it never saw whole by their letters, ranks the intent of
// the nearest utterances first, and stays far from text made of unknown words.
import { describe, expect, it } from 'vitest';
import { NgramModel } from '../../src/ai/local/ngram-model.js';
import { tokenize } from '../../src/ai/local/stemmer.js';

const model = NgramModel.train(
  [
    { text: 'danke schön', intent: 'thanks' },
    { text: 'vielen Dank', intent: 'thanks' },
    { text: 'hallo du', intent: 'greeting' },
    { text: 'guten Morgen', intent: 'greeting' },
    { text: 'Bestellung stornieren', intent: 'cancel' },
    { text: 'bitte abbrechen', intent: 'cancel' },
  ],
  tokenize,
);

const first = (text: string) => model.neighbourhood(text).scores[0];

describe('the n-gram model', () => {
  it('places a compound and an inflection it never saw by their letters', () => {
    expect(first('Dankeschön')?.intent).toBe('thanks');
    expect(first('abbrechen bitte, die Bestellungen')?.intent).toBe('cancel');
    expect(first('hallöchen')?.intent).toBe('greeting');
  });

  it('scores a training utterance at least half (it is one of the two nearest), and unknown words near nothing', () => {
    expect(first('guten Morgen')?.intent).toBe('greeting');
    expect(first('guten Morgen')?.score).toBeGreaterThan(0.49);
    const unknown = model.neighbourhood('xylophon quartz');
    expect(Math.max(...unknown.scores.map(({ score }) => score))).toBeLessThan(0.1);
  });

  it('gives every intent a score, best first', () => {
    const scores = model.neighbourhood('danke').scores;
    expect(scores.map(({ intent }) => intent).sort()).toEqual(['cancel', 'greeting', 'thanks']);
    expect(scores.map(({ score }) => score)).toEqual([...scores.map(({ score }) => score)].sort((a, b) => b - a));
  });
});
