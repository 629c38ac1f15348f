// The grammY Bot and its outgoing path. Transformers wrap each other, last installed outermost:
// journal (never repeat a call already made for this update) → auto-retry (honours retry_after,
// retries 5xx and network errors) → throttle (Telegram's published rates) → the HTTP request.
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Bot } from 'grammy';
import type { CallJournal } from './call-journal.js';
import type { BotContext } from './context.js';

export interface TelegramBotOptions {
  token: string;
  apiRoot: string;
  throttle: boolean;
  journal: CallJournal;
}

export function createTelegramBot(options: TelegramBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, {
    client: { apiRoot: options.apiRoot, timeoutSeconds: 60 },
  });
  if (options.throttle) bot.api.config.use(apiThrottler());
  bot.api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 }));
  bot.api.config.use(options.journal.transformer);
  return bot;
}
