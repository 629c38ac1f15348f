// How a long text becomes a Mastodon thread: each part within the limit as the instance counts it,
// cut at sentences, then words, a long word hard, never a URL; nothing lost; numbered " (i/n)".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { statusLength } from '../../../src/builtin-plugins/publishing/mastodon/status-length.js';
import { splitThread } from '../../../src/builtin-plugins/publishing/mastodon/thread.js';

const limits = (maxCharacters: number) => ({ maxCharacters, charactersReservedPerUrl: 23 });
const unnumbered = (part: string) => part.replace(/ \(\d+\/\d+\)$/, '');
const squeezed = (text: string) => text.trim().split(/\s+/).join(' ');
const URLS = /https?:\/\/\S+?(?=[.!?…]*(?:\s|$))/gu;

describe('statusLength', () => {
  it('counts a URL as the reserved length, a remote mention as its local part, and code points', () => {
    expect(statusLength(`read https://example.com/${'a'.repeat(80)}.`, 23)).toBe('read '.length + 23 + 1);
    expect(statusLength('hi @ana@example.org and @bob', 23)).toBe('hi @ana and @bob'.length);
    expect(statusLength('😀👍🏽 é', 23)).toBe(5);
  });
});

describe('splitThread', () => {
  it('leaves a text that fits as one part, unchanged and unnumbered', () => {
    const text = `  Fits: https://example.com/${'x'.repeat(600)} @ana@example.org\n`;
    expect(splitThread(text, limits(60))).toEqual([text]);
  });

  it('cuts between sentences and paragraphs where it can, and numbers the parts', () => {
    const text = 'First sentence here. Second one is here! Third? Yes.\n\nA new paragraph without a full stop';
    expect(splitThread(text, limits(50))).toEqual([
      'First sentence here. Second one is here! (1/3)',
      'Third? Yes. (2/3)',
      'A new paragraph without a full stop (3/3)',
    ]);
    expect(splitThread(text, limits(50), { numbering: false })).toEqual([
      'First sentence here. Second one is here! Third?',
      'Yes.\n\nA new paragraph without a full stop',
    ]);
  });

  it('cuts a sentence longer than a status between words, and a word longer than a status anywhere', () => {
    expect(splitThread('one two three four five six seven eight', limits(20), { numbering: false })).toEqual([
      'one two three four',
      'five six seven eight',
    ]);
    expect(splitThread(`go ${'a'.repeat(25)}`, limits(10), { numbering: false })).toEqual([
      'go',
      'a'.repeat(10),
      'a'.repeat(10),
      'a'.repeat(5),
    ]);
  });

  it('keeps a URL whole even where it is longer than a status', () => {
    const url = `https://example.com/${'p'.repeat(120)}`;
    const parts = splitThread(`${'w'.repeat(30)}${url} and then some more words to follow it here`, limits(40), {
      numbering: false,
    });
    expect(parts.some((part) => part.includes(url))).toBe(true);
    expect(parts.every((part) => statusLength(part, 23) <= 40)).toBe(true);
  });

  it('widens the numbering when the parts run into two digits', () => {
    const parts = splitThread(Array.from({ length: 40 }, (_, i) => `Sentence ${i}.`).join(' '), limits(30));
    expect(parts.length).toBeGreaterThanOrEqual(10);
    expect(parts[0]).toMatch(/ \(1\/\d\d\)$/);
    expect(parts.every((part) => statusLength(part, 23) <= 30)).toBe(true);
  });

  const url = fc.stringMatching(/^[a-z0-9]{1,90}$/).map((path) => `https://example.com/${path}`);
  const long = fc.stringMatching(/^[a-z]{1,60}$/);
  const word = fc.oneof(
    { weight: 6, arbitrary: fc.stringMatching(/^[a-zé😀]{1,12}$/u) },
    { weight: 1, arbitrary: long },
    { weight: 1, arbitrary: url },
    { weight: 1, arbitrary: fc.tuple(long, url).map(([glued, link]) => `${glued}${link}`) },
    { weight: 1, arbitrary: fc.constantFrom('@ana@example.org', '@bob', '@cy@mastodon.social') },
  );
  const ending = fc.constantFrom(' ', ' ', ' ', '. ', '! ', '? ', '… ', '\n', '\n\n');
  const text = fc.array(fc.tuple(word, ending), { maxLength: 150, size: 'max' }).map((pairs) => pairs.flat().join(''));
  const options = fc.record({ maxCharacters: fc.integer({ min: 40, max: 400 }), numbering: fc.boolean() });

  it('keeps every part within the limit, loses nothing, and leaves every URL whole', () => {
    fc.assert(
      fc.property(text, options, (input, { maxCharacters, numbering }) => {
        const parts = splitThread(input, limits(maxCharacters), { numbering });
        expect(parts.every((part) => statusLength(part, 23) <= maxCharacters)).toBe(true);
        const bare = parts.length > 1 && numbering ? parts.map(unnumbered) : parts;
        expect(bare.join('').replace(/\s/g, '')).toBe(input.replace(/\s/g, ''));
        for (const url of input.match(URLS) ?? []) {
          const inText = input.split(url).length - 1;
          expect(bare.reduce((sum, part) => sum + part.split(url).length - 1, 0)).toBe(inText);
        }
      }),
    );
  });

  it('gives the text back word for word when no word is longer than a status', () => {
    fc.assert(
      fc.property(text, options, (input, { maxCharacters, numbering }) => {
        fc.pre(input.split(/\s+/).every((token) => statusLength(token, 23) <= maxCharacters - 10));
        const parts = splitThread(input, limits(maxCharacters), { numbering });
        const bare = parts.length > 1 && numbering ? parts.map(unnumbered) : parts;
        expect(squeezed(bare.join(' '))).toBe(squeezed(input));
        if (parts.length > 1 && numbering)
          expect(parts.every((part, i) => part.endsWith(` (${i + 1}/${parts.length})`))).toBe(true);
      }),
    );
  });
});
