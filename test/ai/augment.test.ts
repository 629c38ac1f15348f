// Synonym folding outside English: the same request worded with another word of a group (or without
// its accents) reads as the group's first word, at training and at classifying alike.
import { describe, expect, it } from 'vitest';
import { canonical } from '../../src/ai/local/augment.js';

describe('canonical in German, Spanish and Russian', () => {
  it('folds the words of a group onto its first, whatever their case or accents', () => {
    expect(canonical('Mitteilungen abschalten', 'de')).toBe(canonical('Benachrichtigungen abschalten', 'de'));
    expect(canonical('Quisiera ver los avisos', 'es')).toBe('quiero ver los notificaciones');
    expect(canonical('muestrame', 'es')).toBe(canonical('muéstrame', 'es'));
    expect(canonical('хотел бы сменить параметры', 'ru')).toBe('хочу бы поменять настройки');
  });

  it('leaves other words as written and English rules out of other languages', () => {
    expect(canonical('Ich hätte gern Kuchen', 'de')).toBe('Ich hätte gern Kuchen');
    expect(canonical("what's up", 'es')).toBe("what's up");
  });
});
