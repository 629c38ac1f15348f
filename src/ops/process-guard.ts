// Catches what nobody awaited or caught — a plugin's promise left to reject, a plugin timer that
// throws — logs it through the redacting logger, and charges it to the plugin whose code it came
// from. Such errors leave the core's state as it was, so the process keeps serving; an uncaught
// exception from the core itself does not, and the process exits (a supervisor restarts it, and the
// update being handled has had its attempt counted, so it cannot loop).
import type { Logger } from '../config/logger.js';

export interface ProcessGuardOptions {
  log: Logger;
  /** Charges the error to the plugin it came from; that plugin's name, or undefined. */
  charge: (error: unknown) => Promise<string | undefined>;
  /** Ends the process after an uncaught exception from the core. */
  exit: (code: number) => void;
}

/** EX_SOFTWARE: an internal error. */
export const INTERNAL_ERROR_EXIT_CODE = 70;

export function installProcessGuard(options: ProcessGuardOptions): () => void {
  const { log } = options;
  const onRejection = (reason: unknown): void => {
    void options.charge(reason).then(
      (plugin) =>
        log.error({ err: reason, plugin }, 'a promise rejected with nobody waiting for it; the process goes on'),
      (error: unknown) =>
        log.error({ err: reason, chargeError: error }, 'a promise rejected with nobody waiting for it'),
    );
  };
  const onException = (error: Error): void => {
    options.charge(error).then(
      (plugin) => {
        if (plugin) {
          log.error({ err: error, plugin }, 'uncaught exception in a plugin; it was charged and the process goes on');
          return;
        }
        log.fatal({ err: error }, 'uncaught exception; exiting');
        options.exit(INTERNAL_ERROR_EXIT_CODE);
      },
      () => {
        log.fatal({ err: error }, 'uncaught exception; exiting');
        options.exit(INTERNAL_ERROR_EXIT_CODE);
      },
    );
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
