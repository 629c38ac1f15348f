// What goes into a status, from what was written in Telegram: a message's text with its links kept
// the way the reader saw them (or dropped), alt text from a caption's `Alt:` line, and /post's
// options (`unlisted`, `cw:…`, `lang:de`, `poll:1d` with `- option` lines, `@account`).
import type { Visibility } from './mastodon/types.js';
import { parseDuration } from './when.js';

export interface TextEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
}

/**
 * The message's text as a status: a word linked in Telegram becomes "word (URL)" when links are
 * kept; otherwise links (bare or behind a word) are left out and the words stay.
 */
export function statusText(text: string, entities: readonly TextEntity[] = [], keepLinks = true): string {
  // Telegram's offsets count UTF-16 units, as JavaScript strings do: splice from the end.
  const links = entities.filter((entity) => entity.type === 'text_link' || entity.type === 'url');
  let out = text;
  for (const entity of [...links].sort((a, b) => b.offset - a.offset)) {
    const shown = out.slice(entity.offset, entity.offset + entity.length);
    let replacement = shown;
    if (entity.type === 'url' && !keepLinks) replacement = '';
    if (entity.type === 'text_link' && keepLinks && entity.url && entity.url !== shown) {
      replacement = `${shown} (${entity.url})`;
    }
    out = out.slice(0, entity.offset) + replacement + out.slice(entity.offset + entity.length);
  }
  return keepLinks ? out.trim() : out.replace(/[ \t]{2,}/g, ' ').trim();
}

/** A caption's last line `Alt: …` is the image's description, not part of the status. */
export function splitAltText(text: string): { text: string; alt?: string } {
  const match = /(?:^|\n)alt:\s*(.+)\s*$/i.exec(text);
  if (!match?.[1]) return { text };
  return { text: text.slice(0, match.index).trim(), alt: match[1].trim() };
}

export interface PostOptions {
  account?: string;
  visibility?: Visibility;
  spoilerText?: string;
  language?: string;
  poll?: { options: string[]; expiresInSeconds: number };
  text: string;
}

const VISIBILITIES = new Set(['public', 'unlisted', 'private', 'direct']);

/**
 * Reads /post's leading options and the text after them. A poll (`poll:1d`) takes its options
 * from the text's trailing lines that start with "- ".
 */
export function parsePost(input: string): PostOptions | { error: string } {
  const options: PostOptions = { text: '' };
  let rest = input.trim();
  let pollFor: number | undefined;
  for (;;) {
    const match =
      /^(@[a-z0-9-]{1,40}|public|unlisted|private|direct|cw:"[^"]{1,500}"|cw:\S{1,100}|lang:[a-z]{2}|poll:\S+)(?:\s+|$)/i.exec(
        rest,
      );
    if (!match?.[1]) break;
    const token = match[1];
    rest = rest.slice(match[0].length);
    const lower = token.toLowerCase();
    if (token.startsWith('@')) options.account = lower.slice(1);
    else if (VISIBILITIES.has(lower)) options.visibility = lower as Visibility;
    else if (lower.startsWith('cw:')) options.spoilerText = token.slice(3).replace(/^"|"$/g, '');
    else if (lower.startsWith('lang:')) options.language = lower.slice(5);
    else {
      pollFor = parseDuration(lower.slice(5));
      if (pollFor === undefined) return { error: `"${token}": a poll lasts e.g. poll:30m, poll:1d` };
    }
  }
  if (pollFor !== undefined) {
    const lines = rest.split('\n');
    const choices: string[] = [];
    while (lines.length > 0 && /^\s*-\s+\S/.test(lines[lines.length - 1] ?? '')) {
      choices.unshift((lines.pop() ?? '').replace(/^\s*-\s+/, '').trim());
    }
    if (choices.length < 2) return { error: 'a poll needs at least two options, one per line starting with "- "' };
    options.poll = { options: choices, expiresInSeconds: Math.round(pollFor / 1000) };
    rest = lines.join('\n');
  }
  options.text = rest.trim();
  return options;
}
