// What follows /search (and an inline query): filters written as words — #tag, type:photo, mine,
// after:2026-01-31, before:2026-12-31 — and the words to look for. Anything else is a word.
import { KINDS } from './item-record.js';
import type { ContentKind, ContentQuery } from './service.js';

export interface ParsedQuery extends Pick<ContentQuery, 'text' | 'tags' | 'kind' | 'after' | 'before'> {
  /** Only the asker's own items. */
  mine: boolean;
}

const DAY_MS = 86_400_000;

export function parseQueryWords(input: string): ParsedQuery {
  const words: string[] = [];
  const tags: string[] = [];
  const parsed: ParsedQuery = { mine: false };
  for (const word of input.trim().split(/\s+/).filter(Boolean)) {
    const [key, value = ''] = splitOnce(word.toLowerCase());
    if (word.startsWith('#') && word.length > 1) tags.push(word.slice(1));
    else if ((key === 'type' || key === 'kind') && isKind(value)) parsed.kind = value;
    else if (key === 'after' && day(value) !== undefined) parsed.after = day(value);
    else if (key === 'before' && day(value) !== undefined) parsed.before = (day(value) ?? 0) + DAY_MS;
    else if (word.toLowerCase() === 'mine') parsed.mine = true;
    else words.push(word);
  }
  if (words.length > 0) parsed.text = words.join(' ');
  if (tags.length > 0) parsed.tags = tags;
  return parsed;
}

function splitOnce(word: string): [string, string?] {
  const colon = word.indexOf(':');
  return colon > 0 ? [word.slice(0, colon), word.slice(colon + 1)] : [word];
}

function isKind(value: string): value is ContentKind {
  return (KINDS as readonly string[]).includes(value);
}

/** The start of a UTC day written YYYY-MM-DD; undefined for anything else. */
function day(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}
