// The light stemmer of German, Spanish and Russian: the forms of one word fold onto one stem, short
// words stay whole, and different words stay apart.
import { describe, expect, it } from 'vitest';
import { LightStemmer } from '../../src/ai/local/stemmer.js';

const stems = (language: 'de' | 'es' | 'ru', text: string) => new LightStemmer(language).tokenizeAndStem(text);

describe('LightStemmer', () => {
  it.each([
    ['de', 'zahlen zahlst zahlt zahle'],
    ['de', 'Einstellung Einstellungen'],
    ['es', 'cambiar cambio cambias'],
    ['es', 'ayuda ayudar ayudas'],
    ['ru', 'отменить отмени отмена отмениться'],
    ['ru', 'помощь помощи'],
  ] as const)('folds the forms of one %s word onto one stem: %s', (language, forms) => {
    expect(new Set(stems(language, forms)).size).toBe(1);
  });

  it('leaves short words whole, and keeps different words apart', () => {
    expect(stems('de', 'es ist')).toEqual(['es', 'ist']);
    expect(stems('es', 'pagar pedir')).toEqual(['pag', 'ped']);
    expect(new Set(stems('ru', 'язык ящик')).size).toBe(2);
  });

  it('lower-cases, drops accents and splits on punctuation as nlp.js does', () => {
    expect(stems('es', '¿Qué?¡Ayúdame!')).toEqual(['que', 'ayudam']);
  });
});
