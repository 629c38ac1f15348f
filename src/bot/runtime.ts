// The bot's middleware in the one order every update goes through; nothing else installs
// middleware on the bot. The order matters: a handling given up on does nothing more → calls
// already made for this update are replayed from the journal, not sent again → bans and limits at
// handle time → the pipeline (sender, usage, core commands, plugins, unknown commands, the
// conversation) → what a conversation mode answers after it (the LLM's confirmation buttons).
import type { Bot, Composer, Middleware } from 'grammy';
import type { BotContext } from '../core/context.js';
import { refuseWhenAbandoned } from '../core/handling.js';

export interface BotRuntimeParts {
  journal: Middleware<BotContext>;
  security: Middleware<BotContext>;
  pipeline: Composer<BotContext>;
  /** Callback-query handlers of the conversation mode, after the pipeline. */
  afterPipeline: readonly Middleware<BotContext>[];
}

export function installMiddleware(bot: Bot<BotContext>, parts: BotRuntimeParts): void {
  bot.use(refuseWhenAbandoned());
  bot.use(parts.journal);
  bot.use(parts.security);
  bot.use(parts.pipeline);
  for (const middleware of parts.afterPipeline) bot.use(middleware);
}
