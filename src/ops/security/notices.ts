// What the security layer tells a user at arrival ("slow down", "you are banned"), in their
// language. Sent in the background: the intake must not wait on the outgoing throttle, which may
// hold a message to a busy chat for seconds, and a notice that fails must never fail the intake.
// Notices are the least urgent messages the bot sends: only a few at a time join the throttle's
// queue, which every reply shares (Telegram allows ~30 messages a second in all), so that a wave of
// offenders told off at once cannot delay everyone else's answers.
import type { Update } from 'grammy/types';
import type { Logger } from '../../config/logger.js';
import type { Language } from '../../config/settings-catalog.js';
import { type Messages, messages } from '../../core/i18n.js';
import { chatIdOf, senderOf } from '../../core/update-schema.js';

/** Sends a text to a chat through the bot's API. */
export type Notify = (chatId: number, text: string) => Promise<unknown>;

/** Notices on their way to the Bot API at once; the others wait here. */
const MAX_SENDING = 8;
/** Chats with a notice waiting; beyond that (an attack by many accounts), more are not sent. */
const MAX_WAITING = 1000;

export class Notices {
  /** chat id → the text it is to be sent, oldest first. */
  private readonly waiting = new Map<number, string>();
  private sending = 0;
  private readonly idleWaiters: (() => void)[] = [];

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
    if (!this.waiting.has(chatId) && this.waiting.size >= MAX_WAITING) {
      this.options.log.debug({ chatId }, 'security notice not sent: too many waiting');
      return;
    }
    const code = senderOf(update)?.language_code?.slice(0, 2) as Language | undefined;
    const t = (code && messages[code]) || messages[this.options.defaultLanguage()];
    // A later notice replaces one the chat has not been sent yet: "you are banned" says it all.
    this.waiting.set(chatId, text(t));
    this.pump();
  }

  /** Resolves once every notice asked for so far was delivered or given up on. */
  async settled(): Promise<void> {
    if (this.sending === 0 && this.waiting.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    for (const [chatId, text] of this.waiting) {
      if (this.sending >= MAX_SENDING) return;
      this.waiting.delete(chatId);
      this.sending++;
      Promise.resolve()
        .then(() => this.options.notify(chatId, text))
        .catch((error: unknown) => this.options.log.debug({ err: error, chatId }, 'security notice not delivered'))
        .finally(() => {
          this.sending--;
          this.pump();
          if (this.sending === 0 && this.waiting.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
        });
    }
  }
}
