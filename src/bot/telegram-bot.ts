// The grammY Bot and its outgoing path. Transformers wrap each other, last installed outermost:
// [per update: the call journal, see call-journal.ts] → auto-retry (waits out 429's retry_after)
// → throttle (Telegram's published rates) → the 429 counter → the HTTP request. Server and network
// errors are not retried here but by the dispatcher, which re-runs the whole update with its own
// backoff while the journal keeps the calls that already went through from going again.
import { autoRetry } from '@grammyjs/auto-retry';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Api, Bot } from 'grammy';
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

/** The HTTP client settings every Bot API handle of the process shares. */
function clientOptions(options: TelegramBotOptions) {
  const { apiRoot } = options;
  return {
    timeoutSeconds: options.timeoutSeconds,
    ...(typeof apiRoot === 'string'
      ? { apiRoot }
      : {
          apiRoot: 'http://127.0.0.1',
          buildUrl: (_root: string, token: string, method: string) => `${apiRoot()}/bot${token}/${method}`,
        }),
  };
}

/** Tells `onRateLimited` of every 429 answer, before anything retries it. */
function count429(api: Api, onRateLimited: TelegramBotOptions['onRateLimited']): void {
  if (!onRateLimited) return;
  api.config.use(async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    if (!response.ok && response.error_code === 429) onRateLimited(method);
    return response;
  });
}

/**
 * The same Bot API without throttle and auto-retry, for senders that pace themselves across
 * instances (ctx.bulkApi): the per-instance throttle would pace them twice, and auto-retry would
 * hide the 429 they must answer by holding back every instance.
 */
export function createBulkApi(options: TelegramBotOptions): Api {
  const api = new Api(options.token, clientOptions(options));
  count429(api, options.onRateLimited);
  return api;
}

export function createTelegramBot(options: TelegramBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(options.token, { client: clientOptions(options) });
  // Installed first, so innermost: it sees every answer, before auto-retry hides a 429 by retrying.
  count429(bot.api, options.onRateLimited);
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
