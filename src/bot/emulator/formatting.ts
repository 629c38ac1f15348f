// parse_mode HTML as Telegram applies it: the tags it supports become entities over the plain text
// (offsets in UTF-16 code units), the four named HTML entities and numeric ones are decoded, and a
// malformed text is refused with "can't parse entities". Markdown modes are kept as sent.
import type { MessageEntity } from 'grammy/types';
import { badRequest } from './api-error.js';
import { messageCaption, messageText } from './params.js';

export interface Formatted {
  text: string;
  entities?: MessageEntity[];
}

type Simple = 'bold' | 'italic' | 'underline' | 'strikethrough' | 'spoiler' | 'code' | 'blockquote';
const SIMPLE_TAGS: Record<string, Simple> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  code: 'code',
  blockquote: 'blockquote',
};
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const ENTITY = '&(#\\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);';

interface Open {
  tag: string;
  offset: number;
  attributes: Record<string, string>;
}

/** The text and entities a message gets from `text` sent with `parseMode` (and `entities`, when no parse mode is given). */
export function applyParseMode(text: string, parseMode: string | undefined, entities?: MessageEntity[]): Formatted {
  if (parseMode !== 'HTML') return { text, ...(entities ? { entities } : {}) };
  let plain = '';
  const found: MessageEntity[] = [];
  const open: Open[] = [];
  const byteOffset = (at: number): string => `byte offset ${Buffer.byteLength(text.slice(0, at))}`;
  const fail = (what: string): never => {
    throw badRequest(`can't parse entities: ${what}`);
  };
  for (let at = 0; at < text.length; ) {
    const char = text[at] as string;
    if (char === '&') {
      const entity = new RegExp(`^${ENTITY}`, 'i').exec(text.slice(at));
      const decoded = entity ? decodeEntity(entity[1] as string) : undefined;
      plain += decoded ?? '&';
      at += decoded !== undefined && entity ? entity[0].length : 1;
      continue;
    }
    if (char !== '<') {
      plain += char;
      at++;
      continue;
    }
    const end = text.indexOf('>', at);
    if (end < 0) fail(`Unclosed start tag at ${byteOffset(at)}`);
    const inside = text.slice(at + 1, end);
    if (inside.startsWith('/')) {
      const name = inside.slice(1).trim().toLowerCase();
      const top = open.pop();
      if (!top) fail(`Unexpected end tag at ${byteOffset(at)}`);
      if (top && top.tag !== name)
        fail(`Unmatched end tag at ${byteOffset(at)}, expected "</${top.tag}>", found "</${name}>"`);
      closeTag(top as Open, plain.length, open, found);
    } else {
      const [, rawName = '', rest = ''] = /^([A-Za-z-]+)(.*)$/s.exec(inside) ?? [];
      const tag = rawName.toLowerCase();
      const attributes = Object.fromEntries(
        [...rest.matchAll(/([A-Za-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/g)].map((m) => [
          (m[1] as string).toLowerCase(),
          decodeAttribute(m[2] ?? m[3] ?? m[4] ?? ''),
        ]),
      );
      const supported =
        tag in SIMPLE_TAGS ||
        tag === 'a' ||
        tag === 'pre' ||
        tag === 'tg-emoji' ||
        (tag === 'span' && attributes.class === 'tg-spoiler');
      if (!supported) fail(`Unsupported start tag "${tag}" at ${byteOffset(at)}`);
      open.push({ tag, offset: plain.length, attributes });
    }
    at = end + 1;
  }
  const unclosed = open.at(-1);
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  found.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: plain, ...(found.length > 0 ? { entities: found } : {}) };
}

function closeTag(tag: Open, end: number, open: Open[], found: MessageEntity[]): void {
  const length = end - tag.offset;
  const parent = open.at(-1);
  // <pre><code class="language-x"> is one pre entity with a language, as Telegram reads it.
  const language = /^language-(.+)$/.exec(tag.attributes.class ?? '')?.[1];
  if (tag.tag === 'code' && parent?.tag === 'pre' && language) {
    parent.attributes.language = language;
    return;
  }
  if (length === 0) return;
  const at = { offset: tag.offset, length };
  if (tag.tag === 'a') found.push({ type: 'text_link', ...at, url: tag.attributes.href ?? '' });
  else if (tag.tag === 'pre')
    found.push({ type: 'pre', ...at, ...(tag.attributes.language ? { language: tag.attributes.language } : {}) });
  else if (tag.tag === 'tg-emoji')
    found.push({ type: 'custom_emoji', ...at, custom_emoji_id: tag.attributes['emoji-id'] ?? '' });
  else if (tag.tag === 'span') found.push({ type: 'spoiler', ...at });
  else if (tag.tag === 'blockquote' && 'expandable' in tag.attributes)
    found.push({ type: 'expandable_blockquote', ...at });
  else found.push({ type: SIMPLE_TAGS[tag.tag] as Simple, ...at });
}

function decodeEntity(name: string): string | undefined {
  if (name.startsWith('#')) {
    const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return NAMED[name.toLowerCase()];
}

function decodeAttribute(value: string): string {
  return value.replace(new RegExp(ENTITY, 'gi'), (whole, name: string) => decodeEntity(name) ?? whole);
}

/** A message's text from the call's `text`, `parse_mode` and `entities`: formatted, then within Telegram's limits. */
export function formattedText(text: unknown, parseMode: string | undefined, entities?: MessageEntity[]): Formatted {
  const formatted = applyParseMode(typeof text === 'string' ? text : '', parseMode, entities);
  return { ...formatted, text: messageText(formatted.text) };
}

/** A caption (absent when empty), formatted, then within Telegram's limit. */
export function formattedCaption(
  caption: unknown,
  parseMode: string | undefined,
  entities?: MessageEntity[],
): Formatted | undefined {
  if (caption !== undefined && typeof caption !== 'string') throw badRequest("can't parse caption: expected a string");
  const formatted = applyParseMode(caption ?? '', parseMode, entities);
  const text = messageCaption(formatted.text);
  return text === undefined ? undefined : { ...formatted, text };
}
