// What a broadcast says (Telegram HTML text, an optional photo, optional URL buttons), checked by
// zod, and how it is sent to one chat.
import { z } from 'zod';
import type { BulkApi } from '../../plugins/api.js';

export const button = z.object({
  text: z.string().trim().min(1).max(64),
  url: z
    .string()
    .trim()
    .url()
    .max(500)
    .refine((url) => /^(https?|tg):/.test(url), 'an http(s) or tg: link'),
});

export const messageSchema = z.object({
  text: z.string().trim().max(4096).default(''),
  /** A Telegram file id or an http(s) URL. */
  photo: z
    .string()
    .trim()
    .max(500)
    .regex(/^(https?:\/\/\S+|[A-Za-z0-9_-]{10,})$/, 'a Telegram file id or an http(s) URL')
    .optional(),
  buttons: z.array(button).max(10).default([]),
});

export type BroadcastMessage = z.output<typeof messageSchema>;

/** A caption is at most 1024 characters, a text 4096; the text is what either holds. */
export function messageProblem(message: BroadcastMessage): string | undefined {
  if (!message.text && !message.photo) return 'there is nothing to send: give a text or a photo';
  if (message.photo && message.text.length > 1024) return 'a photo’s caption is at most 1024 characters';
  return undefined;
}

export async function sendBroadcastMessage(api: BulkApi, chatId: number, message: BroadcastMessage): Promise<void> {
  const markup =
    message.buttons.length > 0
      ? { reply_markup: { inline_keyboard: message.buttons.map((b) => [{ text: b.text, url: b.url }]) } }
      : {};
  if (message.photo) {
    await api.sendPhoto(chatId, message.photo, {
      ...(message.text ? { caption: message.text, parse_mode: 'HTML' as const } : {}),
      ...markup,
    });
  } else {
    await api.sendMessage(chatId, message.text, { parse_mode: 'HTML', ...markup });
  }
}
