// What is being handled right now, carried across awaits: the update, the plugin whose code is
// running (so that a failure or an overrun is charged to it), and the signal that abandons it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';

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

const scope = new AsyncLocalStorage<Handling>();

export function runHandling<T>(handling: Handling, fn: () => Promise<T>): Promise<T> {
  return scope.run(handling, fn);
}

/** The handling the calling code belongs to, if it runs on behalf of an update. */
export function currentHandling(): Handling | undefined {
  return scope.getStore();
}

/** Rejects with the abandonment once `signal` aborts; never settles otherwise. */
export function whenAbandoned(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Installed on the bot's API: an abandoned handling, still running somewhere, can no longer talk to
 * Telegram (its calls fail, and one in flight is aborted), so its chat never hears from it again.
 */
export const refuseWhenAbandoned: Transformer = (prev, method, payload, signal) => {
  const handling = currentHandling();
  if (!handling) return prev(method, payload, signal);
  if (handling.signal.aborted) throw handling.signal.reason;
  const own = handling.signal as unknown as NonNullable<typeof signal>;
  // grammY types its signal with a shim; at run time both are the built-in AbortSignal.
  return prev(method, payload, signal ? (AbortSignal.any([signal as never, handling.signal]) as never) : own);
};
