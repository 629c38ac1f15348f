// The conversation hook backed by the local engine: answers what the pipeline hands it (private
// text, group messages addressed to the bot) in the sender's language (chosen in /settings, else
// Telegram's, else the bot's default: ctx.core.language), in groups as a reply to the message it answers.
// Its confidence threshold is the setting's (or an experiment's arm), and whether it was sure is counted.

import type { Counter } from 'prom-client';
import { textForBot } from '../../core/addressing.js';
import type { ConversationHook } from '../../core/context.js';
import type { LocalEngine } from './engine.js';

export function localConversation(engine: LocalEngine, answers?: Counter<'sure'>): ConversationHook {
  return async (ctx) => {
    const text = textForBot(ctx);
    const { experiments } = ctx.core;
    const { intent, reply } = await engine.understand(text, {
      isAdmin: ctx.core.isAdmin,
      language: ctx.core.language,
      threshold: experiments.setting('conversation.confidenceThreshold'),
    });
    const sure = intent !== 'none';
    experiments.answered(sure);
    answers?.inc({ sure: sure ? 'yes' : 'no' });
    const inGroup = ctx.chat?.type !== 'private';
    const message = ctx.message;
    return ctx.reply(reply, inGroup && message ? { reply_parameters: { message_id: message.message_id } } : {});
  };
}
