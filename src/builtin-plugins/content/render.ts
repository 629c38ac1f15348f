// Items as Telegram shows them: search results with their matches in bold (HTML, everything else
// escaped), and an item's text cut to what one message holds.
import type { SnippetPart } from '../../plugins/api.js';
import type { ContentHit } from './service.js';

/** Telegram's limit for a message's text. */
export const MESSAGE_LIMIT = 4096;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function snippetHtml(parts: readonly SnippetPart[]): string {
  return parts.map((part) => (part.match ? `<b>${escapeHtml(part.text)}</b>` : escapeHtml(part.text))).join('');
}

export function snippetText(parts: readonly SnippetPart[]): string {
  return parts.map((part) => part.text).join('');
}

/** One result: its number, title, id, kind and tags, and the snippet under it. */
export function hitHtml(hit: ContentHit, number: number): string {
  const tags = hit.tags.map((tag) => `#${tag}`).join(' ');
  const head = `${number}. <b>${escapeHtml(hit.title)}</b> · <code>${hit.id}</code> · ${hit.kind}${tags ? ` · ${escapeHtml(tags)}` : ''}`;
  // A short item's snippet is its title again: shown once.
  if (snippetText(hit.snippet).trim() === hit.title) return head;
  const body = snippetHtml(hit.snippet).trim();
  return body ? `${head}\n${body}` : head;
}

/** `text` cut to `limit` characters with `cut` after it, when it is longer. */
export function fitMessage(text: string, cut: string, limit = MESSAGE_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit - cut.length - 1)}\n${cut}`;
}

/** `head` (HTML) and `text` escaped, in one message: the text cut before escaping, so that no entity is split. */
export function fitHtml(head: string, text: string, cut: string, limit = MESSAGE_LIMIT): string {
  const whole = head + escapeHtml(text);
  if (whole.length <= limit) return whole;
  const tail = `\n${escapeHtml(cut)}`;
  let keep = limit - head.length - tail.length;
  while (keep > 0 && head.length + escapeHtml(text.slice(0, keep)).length + tail.length > limit) {
    keep -= Math.max(1, head.length + escapeHtml(text.slice(0, keep)).length + tail.length - limit);
  }
  return head + escapeHtml(text.slice(0, Math.max(keep, 0))) + tail;
}
