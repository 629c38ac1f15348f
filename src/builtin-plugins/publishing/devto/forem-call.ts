// One request to a Forem API v1 server (DEV.to): the key and version headers, a deadline, the answer
// checked against what Forem sends, and every way it can go wrong told as a PublishFailure that never
// carries the API key.
import { z } from 'zod';
import { withDeadline } from '../deadline.js';
import { PublishFailure } from '../failure.js';
import { retryAfterMs } from '../retry-after.js';
import type { DevtoAccount } from './types.js';

export interface ForemConnection {
  account: DevtoAccount;
  timeoutMs: number;
}

export interface ForemRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** From the root, with its query: `/api/articles/me/all?page=2`. */
  path: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** What Forem waits for when it sends no usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 30_000;
/** The service's words go to admins and logs: a page of HTML from a proxy would be noise. */
const MAX_WORDS = 300;

/** `what` names the call in messages ("create article"). */
export async function callForem<S extends z.ZodType>(
  connection: ForemConnection,
  what: string,
  request: ForemRequest,
  schema: S,
): Promise<z.output<S>> {
  const hide = keyHider(connection.account.apiKey);
  const { response, text } = await withDeadline(connection.timeoutMs, request.signal, async ({ signal, expired }) => {
    try {
      const answer = await fetch(`${connection.account.apiRoot.replace(/\/+$/, '')}${request.path}`, {
        method: request.method,
        headers: {
          'api-key': connection.account.apiKey,
          accept: 'application/vnd.forem.api-v1+json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        // A redirect would carry the api-key header to wherever it points.
        redirect: 'manual',
        signal,
      });
      return { response: answer, text: await answer.text() };
    } catch (error) {
      const why = expired()
        ? `DEV.to did not answer ${what} within ${connection.timeoutMs} ms`
        : request.signal?.aborted
          ? `${what} on DEV.to was cancelled`
          : `DEV.to could not be reached for ${what} (${networkCause(error)})`;
      throw new PublishFailure('unavailable', hide(why));
    }
  });
  if (!response.ok) {
    const told = failure(what, response, serviceWords(text));
    throw new PublishFailure(told.kind, hide(told.message), told.options);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PublishFailure('unavailable', `DEV.to answered ${what} with a body that is not JSON`, {
      status: response.status,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new PublishFailure(
      'unavailable',
      hide(`DEV.to's answer to ${what} is not what Forem sends (${where}${issue?.message ?? 'unexpected shape'})`),
      { status: response.status },
    );
  }
  return parsed.data;
}

function failure(what: string, response: Response, words: string | undefined): PublishFailure {
  const { status } = response;
  if (status === 401 || status === 403) {
    return new PublishFailure('auth', words ?? `DEV.to refused the API key (${status})`, { status });
  }
  if (status === 429) {
    const wait = retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS;
    return new PublishFailure('rate-limited', words ?? `DEV.to asks to wait ${Math.ceil(wait / 1000)} s`, {
      status,
      retryAfterMs: wait,
    });
  }
  if (status >= 400 && status < 500 && status !== 408) {
    return new PublishFailure('refused', words ?? `DEV.to refused ${what} (${status})`, { status });
  }
  if (status >= 300 && status < 400) {
    const to = response.headers.get('location');
    const message = `DEV.to redirected ${what} (${status}${to ? ` to ${to}` : ''}); is the API root right?`;
    return new PublishFailure('unavailable', message, { status });
  }
  return new PublishFailure('unavailable', words ?? `DEV.to answered ${what} with ${status}`, { status });
}

const errorBody = z.union([
  z.object({ error: z.string().min(1) }),
  z.object({ message: z.union([z.string().min(1), z.array(z.string()).min(1)]) }),
]);

/** Forem's `{"error": "...", "status": 422}` (or, from some endpoints, `{"message": [...]}`). */
function serviceWords(text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = errorBody.safeParse(json);
  if (!parsed.success) return undefined;
  const words = 'error' in parsed.data ? parsed.data.error : [parsed.data.message].flat().join('; ');
  return words.length > MAX_WORDS ? `${words.slice(0, MAX_WORDS)}…` : words;
}

/** undici says only "fetch failed"; what failed (ECONNREFUSED, a reset) is in its cause. */
function networkCause(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** A server or proxy may echo what it was sent; the key must still never reach a message. */
function keyHider(apiKey: string): (text: string) => string {
  return (text) => (apiKey ? text.replaceAll(apiKey, '[api key]') : text);
}
