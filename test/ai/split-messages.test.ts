// How a streamed answer is cut into Telegram messages: within the limit, nothing lost, and cuts that
// stay put as the text grows (so a message already finished is never edited again).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitMessages } from '../../src/ai/llm/streaming-reply.js';

const LIMIT = 20;
const text = fc
  .array(fc.constantFrom('a', 'b', ' ', '\n', 'é', '😀'), { maxLength: 120 })
  .map((chars) => chars.join(''));

describe('splitMessages', () => {
  it('keeps every part within the limit, none of them blank, and loses nothing but white space', () => {
    fc.assert(
      fc.property(text, (input) => {
        const parts = splitMessages(input, LIMIT);
        expect(parts.every((part) => part.trim() === part && part.length > 0 && part.length <= LIMIT)).toBe(true);
        expect(parts.join('').replace(/\s/g, '')).toBe(input.replace(/\s/g, ''));
      }),
    );
  });

  it('never moves a cut once the text has grown past it', () => {
    fc.assert(
      fc.property(text, text, (start, more) => {
        const before = splitMessages(start, LIMIT);
        const after = splitMessages(start + more, LIMIT);
        // Every part before the last was final; the last may only have grown.
        expect(after.slice(0, before.length - 1)).toEqual(before.slice(0, -1));
      }),
    );
  });

  it('cuts at the last space or line break when there is one, and hard at the limit when not', () => {
    expect(splitMessages('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
    expect(splitMessages('a'.repeat(25), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
    expect(splitMessages(`${'a'.repeat(9)}😀`, 10)).toEqual(['a'.repeat(9), '😀']);
    expect(splitMessages(`\n ${'a'.repeat(10)}\n\n\n`, 10)).toEqual(['a'.repeat(10)]);
  });
});
