// Turns what masto throws into a PublishFailure. masto keeps the failed Response as the error's
// `cause` (the headers of a 429 or 503 are read from there); an error body that is not JSON reaches
// us as a MastoUnexpectedError or TypeError without its status, which can only count as unavailable.
import { MastoHttpError, MastoTimeoutError } from 'masto';
import { PublishFailure } from '../failure.js';
import { retryAfterMs } from '../retry-after.js';

/** What the caller's own abort threw is given back as is: a cancelled call is not a failed one. */
export function publishFailure(error: unknown, token: string, signal?: AbortSignal): unknown {
  if (signal?.aborted || error instanceof PublishFailure) return error;
  const hide = (message: string): string => (token ? message.replaceAll(token, '[token]') : message);
  if (error instanceof MastoHttpError) {
    const status = error.statusCode;
    // Mastodon's own errors are `{ error }`; OAuth's are `{ error: code, error_description }`.
    const words = [error.message, error.description].filter(Boolean).join(': ');
    const message = hide(words || `Mastodon answered HTTP ${status}`);
    const headers = error.cause instanceof Response ? error.cause.headers : new Headers();
    if (status === 401 || status === 403) return new PublishFailure('auth', message, { status });
    if (status === 429)
      return new PublishFailure('rate-limited', message, { status, retryAfterMs: rateLimitDelay(headers) });
    if (status === 408 || status >= 500) {
      return new PublishFailure('unavailable', message, { status, retryAfterMs: retryAfter(headers) });
    }
    return new PublishFailure('refused', message, { status });
  }
  if (error instanceof MastoTimeoutError) return new PublishFailure('unavailable', 'Mastodon did not answer in time');
  const reason = error instanceof Error ? error.message : String(error);
  return new PublishFailure('unavailable', hide(`Mastodon could not be reached or answered garbled: ${reason}`));
}

function rateLimitDelay(headers: Headers): number | undefined {
  const reset = Date.parse(headers.get('x-ratelimit-reset') ?? '');
  return retryAfter(headers) ?? (Number.isNaN(reset) ? undefined : Math.max(1000, reset - Date.now()));
}

/** At least a second: a Retry-After of 0 would make a retry storm. */
function retryAfter(headers: Headers): number | undefined {
  const wait = retryAfterMs(headers.get('retry-after'));
  return wait === undefined ? undefined : Math.max(1000, wait);
}
