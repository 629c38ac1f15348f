// Reading Bot API parameters as Telegram reads them: from a JSON body (typed values) or from a query
// string or form (text, with objects JSON-encoded). What is missing or wrong is answered 400 in
// Telegram's words, so that a bot meets here the refusals it would meet there.
import type { InlineKeyboardMarkup, MessageEntity } from 'grammy/types';
import { z } from 'zod';
import { badRequest } from './api-error.js';

export type Params = Record<string, unknown>;

/** An integer, sent as a number or as its text. */
export const int = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/)
      .transform(Number),
  ])
  .pipe(z.number().int().safe());

export const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

/** A chat: its id, or the @username of a public channel or supergroup. */
export const chatIdParam = z.union([int, z.string().regex(/^@[A-Za-z0-9_]{4,32}$/)]);

/** An object or array, which a form or query string carries JSON-encoded. */
export function json<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }, schema);
}

const entity = z.looseObject({ type: z.string().min(1), offset: int.pipe(z.number().min(0)), length: int });
export const entities = json(z.array(entity)).transform((list) => list as MessageEntity[]);

const button = z.looseObject({ text: z.string().min(1), callback_data: z.string().optional() });
const inlineKeyboard = z.looseObject({ inline_keyboard: z.array(z.array(button)) });
// Reply keyboards are shown by the user's app and never appear in the Message object.
const otherMarkup = z.union([
  z.looseObject({ keyboard: z.array(z.array(z.unknown())) }),
  z.looseObject({ remove_keyboard: z.literal(true) }),
  z.looseObject({ force_reply: z.literal(true) }),
]);
export const replyMarkup = json(z.union([inlineKeyboard, otherMarkup]));

/**
 * Checks `params` against `shape` and returns the values it names (others are ignored, as Telegram
 * ignores them). `missing` words the refusal for a parameter left out where Telegram has words of its own.
 */
export function read<S extends z.ZodRawShape>(
  shape: S,
  params: Params,
  missing: Partial<Record<keyof S, string>> = {},
): z.output<z.ZodObject<S>> {
  const result = z.object(shape).safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const name = String(issue?.path[0] ?? '');
  if (params[name] === undefined || params[name] === '') {
    throw badRequest(missing[name as keyof S] ?? `parameter "${name}" is required`);
  }
  const where = issue && issue.path.length > 1 ? ` at ${issue.path.slice(1).join('.')}` : '';
  throw badRequest(`can't parse ${name}${where}: ${issue?.message ?? 'invalid value'}`);
}

/** The inline keyboard a message carries; other markup is accepted but not part of the message. */
export function inlineKeyboardOf(markup: unknown): InlineKeyboardMarkup | undefined {
  if (typeof markup !== 'object' || markup === null || !('inline_keyboard' in markup)) return undefined;
  const keyboard = markup as InlineKeyboardMarkup;
  for (const data of keyboard.inline_keyboard
    .flat()
    .map((key) => ('callback_data' in key ? key.callback_data : undefined))) {
    if (data !== undefined && (data === '' || Buffer.byteLength(data) > 64)) throw badRequest('BUTTON_DATA_INVALID');
  }
  return keyboard;
}

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

/** A message text as Telegram takes it: not blank, at most 4096 characters. */
export function messageText(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') throw badRequest('message text is empty');
  if (text.length > MAX_TEXT) throw badRequest('message is too long');
  return text;
}

/** A caption: optional, at most 1024 characters. */
export function messageCaption(caption: unknown): string | undefined {
  if (caption === undefined || caption === '') return undefined;
  if (typeof caption !== 'string') throw badRequest("can't parse caption: expected a string");
  if (caption.length > MAX_CAPTION) throw badRequest('message caption is too long');
  return caption;
}

/** Telegram's parse modes; the emulator keeps the text as sent, without applying the markup. */
export const parseMode = z.enum(['HTML', 'Markdown', 'MarkdownV2']).optional();
