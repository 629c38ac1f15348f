// A request's time limit, as both services' clients keep it: a timer of our own aborting a controller
// that also follows the caller's signal. Not AbortSignal.timeout inside AbortSignal.any, which Node 20
// may garbage-collect before it fires (nodejs/node#57736), leaving a silent server waited on forever.

export interface Deadline {
  readonly signal: AbortSignal;
  /** Whether the time ran out (rather than the caller cancelling). */
  readonly expired: () => boolean;
}

export async function withDeadline<T>(
  timeoutMs: number,
  caller: AbortSignal | undefined,
  work: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    stop.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  const followCaller = (): void => stop.abort(caller?.reason);
  if (caller?.aborted) followCaller();
  caller?.addEventListener('abort', followCaller, { once: true });
  try {
    return await work({ signal: stop.signal, expired: () => expired });
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', followCaller);
  }
}
