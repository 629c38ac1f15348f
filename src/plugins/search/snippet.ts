// Highlighting for plugins, which keep their own text (the index does not): the best window of a
// text around a query's words, with the matching words marked. Matching is as the search's:
// case- and diacritic-insensitive, and a query word matches the words it begins.
import type { SnippetPart } from '../api-content.js';
import { parseQuery } from './query-parser.js';

export interface SnippetOptions {
  /** About how many characters the window holds (default 160). */
  length?: number;
  /** What marks text cut off at either end (default `…`). */
  ellipsis?: string;
}

interface Word {
  start: number;
  end: number;
  /** Which query word it matches, or -1. */
  matches: number;
}

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Lower case without diacritics: how words compare. */
function folded(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A word's stem, roughly: enough that "running" finds "runs" as the search's stemming would. */
function stem(word: string): string {
  // "running" → "runn" → "run": a doubled consonant before a suffix is undoubled, as Porter does.
  const stemmed = word.replace(/(ings?|edly|ed|es|s|ly|e)$/u, '').replace(/([b-df-hj-km-np-tv-xz])\1$/u, '$1');
  return stemmed.length >= 3 ? stemmed : word;
}

export function snippet(text: string, query: string, options: SnippetOptions = {}): SnippetPart[] {
  const length = Math.max(20, options.length ?? 160);
  const ellipsis = options.ellipsis ?? '…';
  const parsed = parseQuery(query);
  const wanted = [...new Set(parsed.include.flatMap((term) => term.words).map((word) => stem(folded(word))))];
  const words: Word[] = [];
  for (const found of text.matchAll(WORD)) {
    const form = folded(found[0]);
    const start = found.index;
    words.push({ start, end: start + found[0].length, matches: wanted.findIndex((want) => form.startsWith(want)) });
  }
  const [from, to] = bestWindow(words, wanted.length, length, text.length);
  const parts: SnippetPart[] = [];
  const add = (part: string, match: boolean) => {
    if (part) parts.push({ text: part, match });
  };
  if (from > 0) add(ellipsis, false);
  let at = from;
  for (const word of words) {
    if (word.matches < 0 || word.start < from || word.end > to) continue;
    add(text.slice(at, word.start), false);
    add(text.slice(word.start, word.end), true);
    at = word.end;
  }
  add(text.slice(at, to), false);
  if (to < text.length) add(ellipsis, false);
  return merge(parts);
}

/** The window of about `length` characters holding the most different query words (then the most matches), on word bounds. */
function bestWindow(words: Word[], wantedCount: number, length: number, textLength: number): [number, number] {
  const matches = words.filter((word) => word.matches >= 0);
  let best = { from: 0, distinct: 0, count: 0 };
  for (let i = 0; i < matches.length; i++) {
    const first = matches[i] as Word;
    const seen = new Set<number>();
    let count = 0;
    for (let j = i; j < matches.length && (matches[j] as Word).end - first.start <= length; j++) {
      seen.add((matches[j] as Word).matches);
      count++;
    }
    if (seen.size > best.distinct || (seen.size === best.distinct && count > best.count)) {
      best = { from: first.start, distinct: seen.size, count };
    }
    if (best.distinct === wantedCount && wantedCount > 0 && count >= matches.length - i) break;
  }
  // Some context before the first match: a quarter of the window, started at a word.
  let from = Math.max(0, best.from - Math.floor(length / 4));
  const startWord = words.find((word) => word.end > from);
  if (startWord && startWord.start < best.from) from = Math.min(startWord.start, best.from);
  if (best.distinct === 0) from = 0;
  let to = Math.min(textLength, from + length);
  const lastWord = [...words].reverse().find((word) => word.start < to);
  if (lastWord && lastWord.end > to && lastWord.start > from) to = lastWord.start;
  return [from, to];
}

/** Neighbouring parts of the same sort as one. */
function merge(parts: SnippetPart[]): SnippetPart[] {
  const merged: SnippetPart[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (last && last.match === part.match && !part.match) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}
