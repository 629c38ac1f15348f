// Splits a text too long for one status into a thread: whole sentences (or paragraphs) where they fit,
// then whole words, a word longer than a status cut where it must; never inside a URL.
import { statusLength, urlSpans } from './status-length.js';
import type { InstanceLimits } from './types.js';

type Limits = Pick<InstanceLimits, 'maxCharacters' | 'charactersReservedPerUrl'>;

interface Break {
  /** Where the whitespace between two parts starts, and where the next part starts. */
  at: number;
  next: number;
  afterSentence: boolean;
}

const SENTENCE_END = /[.!?…]["'”’)\]]*$/u;
/** A remote mention is shorter counted than written, by at most a domain name (253). */
const MENTION_SLACK = 256;

/**
 * The parts, each within the instance's limit as it counts; with `numbering` (the default) each
 * part of a thread ends in " (i/n)", counted in the limit. A text that fits is one part, unchanged.
 */
export function splitThread(text: string, limits: Limits, options: { numbering?: boolean } = {}): string[] {
  const count = (part: string): number => statusLength(part, limits.charactersReservedPerUrl);
  if (count(text) <= limits.maxCharacters) return [text];
  if (options.numbering === false) return split(text, limits.maxCharacters, count);
  // The suffix's width depends on how many parts there are, which depends on the suffix's width.
  let digits = String(split(text, limits.maxCharacters, count).length).length;
  for (;;) {
    const widest = ` (${'9'.repeat(digits)}/${'9'.repeat(digits)})`.length;
    const parts = split(text, limits.maxCharacters - widest, count);
    if (String(parts.length).length <= digits) return parts.map((part, i) => `${part} (${i + 1}/${parts.length})`);
    digits += 1;
  }
}

function split(text: string, budget: number, count: (part: string) => number): string[] {
  const breaks = [...text.matchAll(/\s+/gu)].map(
    (match): Break => ({
      at: match.index,
      next: match.index + match[0].length,
      afterSentence:
        match[0].includes('\n') || SENTENCE_END.test(text.slice(Math.max(0, match.index - 8), match.index)),
    }),
  );
  const parts: string[] = [];
  let start = skipSpace(text, 0);
  let first = 0;
  while (start < text.length) {
    const rest = text.slice(start).trimEnd();
    if (count(rest) <= budget) {
      parts.push(rest);
      break;
    }
    while (first < breaks.length && (breaks[first] as Break).at <= start) first += 1;
    let sentence: Break | undefined;
    let word: Break | undefined;
    for (let i = first; i < breaks.length; i += 1) {
      const candidate = breaks[i] as Break;
      if (count(text.slice(start, candidate.at)) > budget) break;
      word = candidate;
      if (candidate.afterSentence) sentence = candidate;
    }
    const chosen = sentence ?? word;
    if (chosen) {
      parts.push(text.slice(start, chosen.at));
      start = chosen.next;
    } else {
      const end = hardCut(text, start, budget, count);
      parts.push(text.slice(start, end));
      start = skipSpace(text, end);
    }
  }
  return parts;
}

/** Where to cut a word longer than a status: as late as fits, outside URLs, at least one character (or URL) in. */
function hardCut(text: string, start: number, budget: number, count: (part: string) => number): number {
  const wordEnd = start + (/\s|$/u.exec(text.slice(start))?.index ?? 0);
  const urls = urlSpans(text.slice(start, wordEnd)).map((span) => ({
    start: span.start + start,
    end: span.end + start,
  }));
  let firstCut: number | undefined;
  let best: number | undefined;
  for (let at = start; at < wordEnd; ) {
    const url = urls.find((span) => span.start <= at && at < span.end);
    at = url ? url.end : at + ((text.codePointAt(at) as number) > 0xffff ? 2 : 1);
    firstCut ??= at;
    const length = count(text.slice(start, at));
    if (length <= budget) best = at;
    else if (length > budget + MENTION_SLACK) break;
  }
  return best ?? firstCut ?? wordEnd;
}

function skipSpace(text: string, from: number): number {
  const match = /\S/u.exec(text.slice(from));
  return match ? from + match.index : text.length;
}
