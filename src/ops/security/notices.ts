// What the security layer tells a user at arrival ("slow down", "you are banned"), in their
// language. Sent in the background: the intake must not wait on the outgoing throttle, which may
// hold a message to a busy chat for seconds, and a notice that fails must never fail the intake.
import type { Update } from 'grammy/types';
import { type Messages, messages } from '../../bot/i18n.js';
import { chatIdOf, senderOf } from '../../bot/update-schema.js';
import type { Logger } from '../../config/logger.js';
import type { Language } from '../../config/settings-catalog.js';

/** Sends a text to a chat through the bot's API. */
export type Notify = (chatId: number, text: string) => Promise<unknown>;

export class Notices {
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly options: {
      notify: Notify;
      /** For users whose own language is not supported. */
      defaultLanguage: () => Language;
      log: Logger;
    },
  ) {}

  /** Tells the chat of `update`, if it has one, best effort. */
  send(update: Update, text: (t: Messages) => string): void {
    const chatId = chatIdOf(update);
    if (chatId === undefined) return;
    const code = senderOf(update)?.language_code?.slice(0, 2) as Language | undefined;
    const t = (code && messages[code]) || messages[this.options.defaultLanguage()];
    const sent: Promise<void> = Promise.resolve()
      .then(() => this.options.notify(chatId, text(t)))
      .then(
        () => {},
        (error: unknown) => this.options.log.debug({ err: error, chatId }, 'security notice not delivered'),
      )
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }

  /** Resolves once every notice sent so far was delivered or given up on. */
  async settled(): Promise<void> {
    await Promise.all(this.sending);
  }
}
