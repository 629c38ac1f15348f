// The light Russian stemmer: the forms of one word fold onto one stem, short words stay whole, and
// different words stay apart.
import { describe, expect, it } from 'vitest';
import { LightStemmer } from '../../src/ai/local/stemmer.js';

const stems = (text: string) => new LightStemmer().tokenizeAndStem(text);

describe('LightStemmer', () => {
  it.each(['отменить отмени отмена отмениться', 'помощь помощи', 'язык языка языку языком'])(
    'folds the forms of one word onto one stem: %s',
    (forms) => {
      expect(new Set(stems(forms)).size).toBe(1);
    },
  );

  it('leaves short words whole, and keeps different words apart', () => {
    expect(stems('да нет')).toEqual(['да', 'нет']);
    expect(new Set(stems('язык ящик')).size).toBe(2);
  });

  it('lower-cases, drops diacritics and splits on punctuation as nlp.js does', () => {
    expect(stems('Всё?Помоги!')).toEqual(['все', 'помог']);
  });
});
