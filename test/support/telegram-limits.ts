// Telegram's sending limits, enforced on the fake Bot API (as its `chaos`): more than `perSecond`
// messages in any sliding second overall, more than one a second to a private chat or 20 a minute to
// a group, are answered 429 with `parameters.retry_after`; chats in `blocked` answer 403 as a user
// who blocked the bot does. Every message is counted, refused or not, as Telegram counts requests.
import type { Fault } from './fake-bot-api.js';

const SENDS = new Set(['sendMessage', 'sendPhoto']);

export interface TelegramLimits {
  readonly chaos: (method: string, params: Record<string, unknown>) => Fault | undefined;
  /** When each 429 was answered. */
  readonly tooMany: number[];
  /** When each message that went through was answered. */
  readonly accepted: { chat: number; at: number }[];
}

export function telegramLimits(options: { perSecond: number; blocked: ReadonlySet<number> }): TelegramLimits {
  const overall: number[] = [];
  const perChat = new Map<number, number[]>();
  const tooMany: number[] = [];
  const accepted: { chat: number; at: number }[] = [];
  const within = (times: number[], now: number, ms: number) => {
    while (times.length > 0 && (times[0] as number) <= now - ms) times.shift();
    return times.length;
  };
  const chaos = (method: string, params: Record<string, unknown>): Fault | undefined => {
    if (!SENDS.has(method)) return undefined;
    const now = Date.now();
    const chat = Number(params.chat_id);
    const chatTimes = perChat.get(chat) ?? [];
    perChat.set(chat, chatTimes);
    const over =
      within(overall, now, 1000) >= options.perSecond ||
      (chat > 0 ? within(chatTimes, now, 1000) >= 1 : within(chatTimes, now, 60_000) >= 20);
    overall.push(now);
    chatTimes.push(now);
    if (over) {
      tooMany.push(now);
      return { status: 429, retryAfter: 1 };
    }
    if (options.blocked.has(chat)) return { status: 403, description: 'Forbidden: bot was blocked by the user' };
    accepted.push({ chat, at: now });
    return undefined;
  };
  return { chaos, tooMany, accepted };
}
