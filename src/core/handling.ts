// What is being handled right now: the update, the plugin whose code is running (so that a failure
// or an overrun is charged to it), and the signal that abandons it. Found from the update object,
// which grammY hands to the context unchanged: AsyncLocalStorage would cost Node 20 a promise hook
// on every promise (measured: about 6 % of the CPU of an update).
import type { Context, MiddlewareFn, Transformer } from 'grammy';
import type { Update } from 'grammy/types';

/** Why a handling was given up on while its code still ran. */
export class HandlingAbandoned extends Error {
  override readonly name = 'HandlingAbandoned';

  constructor(
    readonly reason: 'deadline' | 'plugin_disabled',
    /** The plugin that held the update at that moment, if any. */
    readonly plugin: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export class Handling {
  private readonly controller = new AbortController();
  /** The plugin whose middleware is running now; set by the plugin host as updates pass through. */
  plugin: string | undefined;

  constructor(readonly updateId: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abandon(reason: HandlingAbandoned['reason'], message: string): void {
    if (!this.signal.aborted) this.controller.abort(new HandlingAbandoned(reason, this.plugin, message));
  }
}

const handlings = new WeakMap<Update, Handling>();

export async function runHandling<T>(handling: Handling, update: Update, fn: () => Promise<T>): Promise<T> {
  handlings.set(update, handling);
  try {
    return await fn();
  } finally {
    handlings.delete(update);
  }
}

/** The handling of this update, while it runs. */
export function handlingOf(update: Update): Handling | undefined {
  return handlings.get(update);
}

/** Rejects with the abandonment once `signal` aborts; never settles otherwise. */
export function whenAbandoned(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Early in the bot's middleware: an abandoned handling, still running somewhere, can no longer talk
 * to Telegram through its context (its calls fail, and one in flight is aborted).
 */
export function refuseWhenAbandoned(): MiddlewareFn<Context> {
  return (ctx, next) => {
    const handling = handlings.get(ctx.update);
    if (handling) ctx.api.config.use(abandonmentCheck(handling));
    return next();
  };
}

function abandonmentCheck(handling: Handling): Transformer {
  // grammY types its signal with a shim; at run time both are the built-in AbortSignal.
  const own = handling.signal as never;
  return (prev, method, payload, signal) => {
    if (handling.signal.aborted) throw handling.signal.reason;
    return prev(method, payload, signal ? (AbortSignal.any([signal as never, handling.signal]) as never) : own);
  };
}
