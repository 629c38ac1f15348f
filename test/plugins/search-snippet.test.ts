// snippet(): the window of a text around a query's words, with the matches marked as the search
// matches them (case, diacritics, prefixes, rough stems), for plugins that keep their own text.
import { describe, expect, it } from 'vitest';
import { snippet } from '../../src/plugins/api.js';

const marked = (parts: { text: string; match: boolean }[]) =>
  parts.map((part) => (part.match ? `[${part.text}]` : part.text)).join('');

describe('snippet', () => {
  it('marks every matching word, whatever its case and diacritics, and words a query word begins', () => {
    expect(marked(snippet('Le Café crème était délicieux.', 'cafe CREME deli'))).toBe(
      'Le [Café] [crème] était [délicieux].',
    );
  });

  it('matches words of the same stem', () => {
    expect(marked(snippet('She runs; he was running.', 'running'))).toBe('She [runs]; he was [running].');
  });

  it('cuts a long text to the window holding the most query words, marking the cuts', () => {
    const text = `${'filler words here. '.repeat(30)}The quick brown fox jumps over the lazy dog. ${'more filler text. '.repeat(30)}`;
    const parts = snippet(text, 'fox dog');
    const shown = marked(parts);
    expect(shown).toContain('[fox] jumps over the lazy [dog]');
    expect(shown.startsWith('…')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
    expect(shown.length).toBeLessThan(200);
  });

  it('shows the start of the text when nothing matches, and takes any query', () => {
    const text = 'Nothing to see here. '.repeat(20);
    expect(marked(snippet(text, '"*:()^ NEAR OR'))).toMatch(/^Nothing to see here\. .*…$/);
    expect(snippet('', 'x')).toEqual([]);
  });
});
