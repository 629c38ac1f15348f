// The grammY Bot and its outgoing path. Transformers wrap each other, last installed outermost:
// [per update: the call journal, see call-journal.ts] → auto-retry (waits out 429's retry_after)
// → throttle (Telegram's published rates) → the 429 counter → the HTTP request. Server and network
// errors are not retried here but by the dispatcher, which re-runs the whole update with its own
// backoff while the journal keeps the calls that already went through from going again.
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Bot } from 'grammy';
import type { BotContext } from '../core/context.js';

export interface TelegramBotOptions {
  token: string;
  /**
   * A function is asked at every call: the emulator's address is known only once our server
   * listens. It is plain HTTP on loopback, which is what the client's connection agent is chosen for.
   */
  apiRoot: string | (() => string);
  throttle: boolean;
  /** How long one Bot API request may take before it is abandoned (and its update retried). */
  timeoutSeconds: number;
  /** Told of every 429 answer, including those auto-retry then waits out. */
  onRateLimited?: (method: string) => void;
}

export function createTelegramBot(options: TelegramBotOptions): Bot<BotContext> {
  const { apiRoot } = options;
  const bot = new Bot<BotContext>(options.token, {
    client: {
      timeoutSeconds: options.timeoutSeconds,
      ...(typeof apiRoot === 'string'
        ? { apiRoot }
        : {
            apiRoot: 'http://127.0.0.1',
            buildUrl: (_root: string, token: string, method: string) => `${apiRoot()}/bot${token}/${method}`,
          }),
    },
  });
  const { onRateLimited } = options;
  // Installed first, so innermost: it sees every answer, before auto-retry hides a 429 by retrying.
  if (onRateLimited) {
    bot.api.config.use(async (prev, method, payload, signal) => {
      const response = await prev(method, payload, signal);
      if (!response.ok && response.error_code === 429) onRateLimited(method);
      return response;
    });
  }
  if (options.throttle) bot.api.config.use(apiThrottler());
  bot.api.config.use(
    autoRetry({
      maxRetryAttempts: 5,
      maxDelaySeconds: 120,
      rethrowInternalServerErrors: true,
      rethrowHttpErrors: true,
    }),
  );
  return bot;
}
