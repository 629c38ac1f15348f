// The conversation hook backed by the local engine: answers what the pipeline hands it (private
// text, group messages addressed to the bot) in the sender's language (chosen in /settings, else
// Telegram's, else the bot's default: ctx.core.language), in groups as a reply to the message it answers.
// Its confidence threshold is the setting's (or an experiment's arm), and whether it was sure is counted.
import { textForBot } from '../../core/addressing.js';
import type { ConversationHook } from '../../core/context.js';
import type { LocalEngine } from './engine.js';

export function localConversation(engine: LocalEngine): ConversationHook {
  return async (ctx) => {
    const text = textForBot(ctx);
    const { experiments } = ctx.core;
    const { intent, reply } = await engine.understand(text, {
      isAdmin: ctx.core.isAdmin,
      language: ctx.core.language,
      threshold: experiments.setting('conversation.confidenceThreshold'),
    });
    experiments.answered(intent !== 'none');
    const inGroup = ctx.chat?.type !== 'private';
    const message = ctx.message;
    return ctx.reply(reply, inGroup && message ? { reply_parameters: { message_id: message.message_id } } : {});
  };
}
