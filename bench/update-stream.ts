// The stream of webhook updates every contestant receives: private messages from many users in
// many chats, mixing /start, /help, an unknown command and plain text, each with its own update_id.
import { textUpdate } from '../test/support/updates.js';
import { CHATS } from './settings.js';

export interface StreamItem {
  readonly updateId: number;
  readonly chatId: number;
  readonly body: string;
}

/** Two in five messages are plain text; the rest are commands, one of them unknown to every bot. */
const TEXTS = ['hello there', '/start', 'what can you do?', '/help', '/weather'] as const;
export const STREAM_MIX = '40% plain text, 20% /start, 20% /help, 20% an unknown command (/weather)';

/**
 * `count` updates over CHATS chats whose ids start at `firstChatId`. Each chat cycles through the
 * kinds of message, and consecutive updates go to different chats, as they do from real users.
 */
export function buildStream(count: number, firstUpdateId: number, firstChatId: number): StreamItem[] {
  const items: StreamItem[] = [];
  for (let index = 0; index < count; index++) {
    const updateId = firstUpdateId + index;
    const chatId = firstChatId + (index % CHATS);
    const text = TEXTS[(index + Math.floor(index / CHATS)) % TEXTS.length] as string;
    const update = textUpdate(text, { updateId, chatId, firstName: `User${chatId % 10_000}`, languageCode: 'en' });
    items.push({ updateId, chatId, body: JSON.stringify(update) });
  }
  return items;
}

/** One update outside the stream, for readiness probes (its reply goes to a chat no stream uses). */
export function probeBody(updateId: number, chatId: number): string {
  return JSON.stringify(textUpdate('/start', { updateId, chatId }));
}
