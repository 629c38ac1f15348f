// The grammY context every handler sees: Telegram's, plus what the core resolved about the sender.
import type { Context } from 'grammy';
import type { Language } from '../config/settings-catalog.js';
import type { UserExperiments } from './experiments.js';
import type { Messages } from './i18n.js';

export type Outcome = 'ok' | 'unknown_command' | 'error';

export interface CoreFlavor {
  core: {
    language: Language;
    t: Messages;
    isAdmin: boolean;
    /** Set by handlers that want the usage event to say more than "ok". */
    outcome: Outcome;
    /** The mutation engine for the sender: the values experiments give them, and what they did. */
    experiments: UserExperiments;
  };
}

export type BotContext = Context & CoreFlavor;

/** Answers plain text addressed to the bot; by default the local conversation engine (src/ai/local). */
export type ConversationHook = (ctx: BotContext) => Promise<unknown>;
