// The link to the Bot API: reach it (retrying until it answers), point updates our way (webhook or
// long polling), keep the command menu in line, and say whether all of that is up (readiness).
import type { Bot } from 'grammy';
import type { BotMode } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { CommandRegistry } from '../core/command-registry.js';
import type { BotContext } from '../core/context.js';
import type { IsLeader } from '../lib/leading.js';
import { sleep } from '../lib/sleep.js';
import { followRegistry } from './command-menu.js';
import type { UpdateSink } from './intake.js';
import { Poller } from './poller.js';
import { setWebhook } from './webhook-setup.js';

export interface TelegramLinkOptions {
  bot: Bot<BotContext>;
  mode: BotMode;
  intake: UpdateSink;
  registry: CommandRegistry;
  adminIds: readonly number[];
  webhook?: { baseUrl: string; secret: string };
  /** Seconds a getUpdates call may be held open. */
  pollTimeoutSeconds: number;
  /** In polling mode, only the leader among several instances polls. */
  isLeader: IsLeader;
  log: Logger;
}

export class TelegramLink {
  private readonly abort = new AbortController();
  private readonly poller: Poller | undefined;
  private readonly menu: ReturnType<typeof followRegistry>;
  private fatal: Error | undefined;
  private lastError: Error | undefined;

  constructor(private readonly options: TelegramLinkOptions) {
    const { bot, log } = options;
    this.menu = followRegistry(bot.api, options.registry, options.adminIds, (error) =>
      log.warn({ err: error }, 'could not update the command menu'),
    );
    this.poller =
      options.mode === 'webhook'
        ? undefined
        : new Poller({
            api: bot.api,
            intake: options.intake,
            log,
            timeoutSeconds: options.pollTimeoutSeconds,
            isLeader: options.isLeader,
            onFatal: (error) => {
              this.fatal = error;
              log.fatal(error.message);
            },
          });
  }

  /** Resolves once the Bot API answered and updates flow; retries with backoff until then. */
  async connect(): Promise<void> {
    const { bot, log } = this.options;
    for (let attempt = 1; !this.abort.signal.aborted; attempt++) {
      try {
        // Not bot.init(): it retries network errors forever on its own, and this loop is ours.
        bot.botInfo = await bot.api.getMe();
        this.lastError = undefined;
        if (this.options.webhook) await setWebhook(bot.api, this.options.webhook.baseUrl, this.options.webhook.secret);
        await this.poller?.start();
        await this.menu.sync();
        log.info({ mode: this.options.mode, bot: bot.botInfo.username }, 'connected to the Bot API');
        return;
      } catch (error) {
        this.lastError = error instanceof Error ? error : new Error(String(error));
        const delay = Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5));
        log.warn({ err: error, retryInMs: delay }, 'could not reach the Bot API; retrying');
        await sleep(delay, this.abort.signal);
      }
    }
  }

  /** The readiness check: throws with the reason while the link is down. */
  async check(): Promise<void> {
    if (this.fatal) throw this.fatal;
    if (!this.options.bot.isInited()) {
      throw new Error(`not connected to the Bot API yet${this.lastError ? `: ${this.lastError.message}` : ''}`);
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.menu.stop();
    await this.poller?.stop();
  }
}
