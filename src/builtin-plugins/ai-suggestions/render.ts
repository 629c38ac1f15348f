// The /suggestions message: the ranked list with its evidence, and Accept / Dismiss buttons for
// the suggestions still open.
import { InlineKeyboard } from 'grammy';
import type { SuggestionList } from './book.js';

/** Callback data: "aisug:a:<id>" accepts, "aisug:d:<id>" dismisses (ids are 12 characters). */
export const CALLBACK = /^aisug:([ad]):([\w-]{12})$/;

/** Ten suggestions with their evidence stay well inside Telegram's 4096 characters. */
const MAX_SHOWN = 10;

const MARK = { open: '•', accepted: '✅', dismissed: '✖' } as const;

/** The keyboard is absent when every suggestion shown has been answered. */
export function renderSuggestions(
  list: SuggestionList | undefined,
  shown: number,
): { text: string; keyboard: InlineKeyboard | undefined } {
  const keyboard = new InlineKeyboard();
  if (!list || list.suggestions.length === 0) {
    return {
      text: 'No suggestions yet: usage gives no clear signal. Send /suggestions refresh to look again.',
      keyboard: undefined,
    };
  }
  const top = list.suggestions.slice(0, Math.min(shown, MAX_SHOWN));
  const lines = top.map((s, index) => {
    if (s.status === 'open') {
      keyboard
        .text(`✅ ${index + 1}`, `aisug:a:${s.id}`)
        .text(`✖ ${index + 1}`, `aisug:d:${s.id}`)
        .row();
    }
    return `${MARK[s.status]} ${index + 1}. ${s.title} (confidence ${Math.round(s.confidence * 100)}%)\n   ${s.evidence}`;
  });
  const header = `Suggestions from usage (${list.generatedAt.slice(0, 16).replace('T', ' ')} UTC):`;
  return {
    text: [header, ...(list.summary ? [list.summary] : []), '', ...lines].join('\n'),
    keyboard: top.some((s) => s.status === 'open') ? keyboard : undefined,
  };
}
