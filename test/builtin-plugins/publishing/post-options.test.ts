// What /post and a channel's post become as a status: options read before the text, a poll from
// "- option" lines, links kept as the reader saw them or dropped, alt text from a caption's last
// line; and the times /schedule takes.
import { describe, expect, it } from 'vitest';
import { parsePost, splitAltText, statusText } from '../../../src/builtin-plugins/publishing/compose.js';
import { parseDuration, parseWhen } from '../../../src/builtin-plugins/publishing/when.js';

describe('/post options', () => {
  it('reads the account, visibility, warning and language before the text', () => {
    expect(parsePost('@mastodon-alice unlisted cw:"Spoilers ahead" lang:de Der Film endet gut.')).toEqual({
      account: 'mastodon-alice',
      visibility: 'unlisted',
      spoilerText: 'Spoilers ahead',
      language: 'de',
      text: 'Der Film endet gut.',
    });
    expect(parsePost('Just a text, public at heart')).toEqual({ text: 'Just a text, public at heart' });
  });

  it('takes a poll from the trailing "- " lines, and says what a poll lacks', () => {
    expect(parsePost('poll:1d Which day?\n- Monday\n- Friday')).toEqual({
      text: 'Which day?',
      poll: { options: ['Monday', 'Friday'], expiresInSeconds: 86_400 },
    });
    expect(parsePost('poll:1d Which day?\n- Monday')).toEqual({
      error: 'a poll needs at least two options, one per line starting with "- "',
    });
    expect(parsePost('poll:soon Which day?')).toMatchObject({ error: expect.stringContaining('poll:30m') });
  });
});

describe('a message as a status', () => {
  it('keeps a linked word with its address, or drops links when told', () => {
    const text = 'Read the notes at example.org today';
    const entities = [
      { type: 'text_link', offset: 9, length: 5, url: 'https://example.org/notes' },
      { type: 'url', offset: 18, length: 11 },
    ];
    expect(statusText(text, entities)).toBe('Read the notes (https://example.org/notes) at example.org today');
    expect(statusText(text, entities, false)).toBe('Read the notes at today');
  });

  it('counts offsets as Telegram does, in UTF-16 units past emoji', () => {
    const text = '🎉 New release notes';
    expect(statusText(text, [{ type: 'text_link', offset: 3, length: 3, url: 'https://x.test/r' }])).toBe(
      '🎉 New (https://x.test/r) release notes',
    );
  });

  it("takes a caption's last line `Alt:` as the image's description", () => {
    expect(splitAltText('Our new office\nAlt: A bright room with six desks')).toEqual({
      text: 'Our new office',
      alt: 'A bright room with six desks',
    });
    expect(splitAltText('No description here')).toEqual({ text: 'No description here' });
  });
});

describe('/schedule times', () => {
  const now = Date.parse('2026-11-30T10:15:00Z');

  it('reads relative times, clock times, dates and ISO times, in UTC', () => {
    expect(parseWhen('in 2h Hello', now)).toEqual({ at: now + 7_200_000, rest: 'Hello' });
    expect(parseWhen('+1h30m Hello', now)).toEqual({ at: now + 5_400_000, rest: 'Hello' });
    expect(parseWhen('18:00 Hello', now)?.at).toBe(Date.parse('2026-11-30T18:00:00Z'));
    expect(parseWhen('09:00 Hello', now)?.at).toBe(Date.parse('2026-12-01T09:00:00Z'));
    expect(parseWhen('tomorrow 07:30 Hello', now)?.at).toBe(Date.parse('2026-12-01T07:30:00Z'));
    expect(parseWhen('2026-12-24 18:00 Hello there', now)).toEqual({
      at: Date.parse('2026-12-24T18:00:00Z'),
      rest: 'Hello there',
    });
    expect(parseWhen('2026-12-24T18:00+01:00 Hello', now)?.at).toBe(Date.parse('2026-12-24T17:00:00Z'));
  });

  it('finds no time in a plain text or a malformed one', () => {
    expect(parseWhen('Hello there', now)).toBeUndefined();
    expect(parseWhen('in soon Hello', now)).toBeUndefined();
    expect(parseWhen('25:00 Hello', now)).toBeUndefined();
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1x')).toBeUndefined();
  });
});
