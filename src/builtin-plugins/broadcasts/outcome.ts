// What Telegram's answer to one message means for a broadcast: sent, the user blocked the bot (403),
// refused for good (other 4xx: counted failed), hold back (429 with retry_after), or a network or
// server failure worth another attempt.
import { GrammyError } from 'grammy';

export type Delivery = 'sent' | 'blocked' | 'failed';

export type Answer =
  | { kind: 'done'; delivery: Delivery; error?: string }
  | { kind: 'hold'; retryAfterMs: number }
  | { kind: 'again'; error: string };

const BLOCKED = /bot was blocked by the user|user is deactivated|bot can't initiate conversation/i;

export function classify(error: unknown): Answer {
  if (!(error instanceof GrammyError)) return { kind: 'again', error: String(error) };
  if (error.error_code === 429) {
    return { kind: 'hold', retryAfterMs: Math.max(1, error.parameters.retry_after ?? 1) * 1000 };
  }
  if (error.error_code === 403 && BLOCKED.test(error.description)) return { kind: 'done', delivery: 'blocked' };
  if (error.error_code >= 500) return { kind: 'again', error: error.description };
  return { kind: 'done', delivery: 'failed', error: error.description };
}

/** An OmniError from the platform (its class may be another copy than the plugin's: compare by name). */
export function omniFailure(error: unknown): { message: string; statusCode: number } | undefined {
  if (error instanceof Error && error.name === 'OmniError' && 'statusCode' in error) {
    return { message: error.message, statusCode: Number(error.statusCode) };
  }
  return undefined;
}
