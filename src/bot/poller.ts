// Long polling: fetch a batch with getUpdates, store all of it, and only then ask for the next
// offset, which is what confirms the batch to Telegram. A crash in between means Telegram sends the
// batch again, and the inbox recognises what it already has. Telegram serves one getUpdates caller
// per bot (a second gets 409 Conflict), so among several instances only the leader polls.
import { API_CONSTANTS, type Api, GrammyError } from 'grammy';
import type { Logger } from '../config/logger.js';
import { checkUpdate } from '../core/update-schema.js';
import { OmniError } from '../errors.js';
import type { IsLeader } from '../lib/leading.js';
import { sleep } from '../lib/sleep.js';
import type { UpdateSink } from './intake.js';

/** How soon a batch held back by a deferred update (see intake.ts) is asked for again. */
const DEFERRED_RETRY_MS = 500;
/** How often an instance that does not lead asks again whether it does. */
const FOLLOWER_CHECK_MS = 1000;
/** Telegram's answer while another instance's long poll is still open (a handover). */
const CONFLICT = 409;

export interface PollerOptions {
  api: Api;
  intake: UpdateSink;
  log: Logger;
  /** Seconds Telegram holds a getUpdates call open when there is nothing to send. */
  timeoutSeconds?: number;
  /** Called when polling cannot go on (the token was revoked): the process should stop. */
  onFatal: (error: Error) => void;
  /** Whether this instance leads (db/leadership.ts); only the leader polls. Always, when absent. */
  isLeader?: IsLeader;
}

export class Poller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: PollerOptions) {}

  /**
   * Removes any webhook (polling and webhooks exclude each other), then polls. Only deleteWebhook is
   * asked, best-effort: getWebhookInfo is missing from some Bot API servers, and a server that serves
   * getUpdates is all polling needs. Pending updates are kept (no drop_pending_updates).
   */
  async start(): Promise<void> {
    // The link retries its whole connect sequence; a poller already running stays the only one.
    if (this.loop) return;
    try {
      await this.options.api.deleteWebhook();
    } catch (error) {
      this.options.log.warn({ err: error }, 'deleteWebhook failed; polling anyway');
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { api, intake, log } = this.options;
    let offset: number | undefined;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      if (this.options.isLeader && !this.options.isLeader()) {
        // The leader confirms what it stores; an offset kept from an earlier turn would be stale.
        offset = undefined;
        await sleep(FOLLOWER_CHECK_MS, this.abort.signal);
        continue;
      }
      try {
        const updates = await api.getUpdates(
          { offset, timeout: this.options.timeoutSeconds ?? 25, allowed_updates: API_CONSTANTS.ALL_UPDATE_TYPES },
          // grammY's Node typings name an AbortSignal shim; the runtime takes the built-in one.
          this.abort.signal as Parameters<Api['getUpdates']>[1],
        );
        // What cannot be an update is passed over (and said), not retried forever: it would come back.
        const usable = updates.filter((update) => {
          const checked = checkUpdate(update);
          if (!checked.ok)
            log.warn({ updateId: update.update_id, reason: checked.error }, 'skipped a malformed update');
          return checked.ok;
        });
        await Promise.all(usable.map((update) => intake.accept(update, 'polling')));
        const last = updates.at(-1);
        if (last) offset = last.update_id + 1;
        failures = 0;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        if (error instanceof GrammyError && error.error_code === 401) {
          this.options.onFatal(new Error('Telegram refused BOT_TOKEN (401 Unauthorized): polling stopped'));
          return;
        }
        if (error instanceof OmniError && error.code === 'OMNI_UPDATE_DEFERRED') {
          // The intake said why; the batch is asked for again once the pending update had its turn.
          await sleep(DEFERRED_RETRY_MS, this.abort.signal);
          continue;
        }
        if (error instanceof GrammyError && error.error_code === CONFLICT) {
          // Leadership just moved and the old leader's poll is still open: it ends at its next turn.
          log.info('getUpdates conflicts with another poller; asking again');
          await sleep(FOLLOWER_CHECK_MS, this.abort.signal);
          continue;
        }
        failures++;
        const delay = Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
        log.warn({ err: error, retryInMs: delay }, 'getUpdates failed');
        await sleep(delay, this.abort.signal);
      }
    }
  }
}
