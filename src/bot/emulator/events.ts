// What the bot did, as the people playing Telegram users see it, and what every part of the
// emulator shares: the world (chats, files), the way to hand the bot an update and to record an event.
import type { InlineQueryResult, InlineQueryResultsButton, Message } from 'grammy/types';
import type { BotUser, ChatStore } from './chat-store.js';
import type { FileStore, Uploads } from './files.js';
import type { Params } from './params.js';
import type { NewUpdate } from './updates.js';

/** What the bot did, as the chat side sees it; `chatId` is the chat it happened in (a user's own for answers to them). */
export type BotEvent =
  | { seq: number; chatId: number; type: 'message' | 'edit'; message: Message }
  | { seq: number; chatId: number; type: 'delete'; messageId: number }
  | {
      seq: number;
      chatId: number;
      type: 'callback_answer';
      queryId: string;
      text?: string;
      showAlert?: boolean;
      url?: string;
    }
  | { seq: number; chatId: number; type: 'chat_action'; action: string }
  | {
      seq: number;
      chatId: number;
      type: 'inline_answer';
      queryId: string;
      results: InlineQueryResult[];
      nextOffset?: string;
      button?: InlineQueryResultsButton;
    }
  | { seq: number; chatId: number; type: 'pre_checkout_answer'; queryId: string; ok: boolean; errorMessage?: string };

export type NewEvent = BotEvent extends infer E ? (E extends BotEvent ? Omit<E, 'seq'> : never) : never;

/** A Bot API method: parameters and uploaded files in, the `result` out (or an EmulatorApiError thrown). */
export type Method = (params: Params, uploads: Uploads) => unknown;

export interface EmulatorCore {
  readonly botUser: BotUser;
  readonly store: ChatStore;
  readonly files: FileStore;
  /** Hands the bot an update (queued for getUpdates, or pushed to its webhook). */
  push(update: NewUpdate): void;
  /** Shows the chat side something the bot did. */
  record(event: NewEvent): void;
  /** The first event in `chatId` after `afterSeq` that `accept` takes, waiting up to `ms`; undefined if none came. */
  nextEvent<T extends BotEvent>(
    chatId: number,
    afterSeq: number,
    ms: number,
    accept: (event: BotEvent) => event is T,
  ): Promise<T | undefined>;
  readonly lastEventSeq: number;
}
