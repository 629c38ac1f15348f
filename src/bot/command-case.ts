// Commands match whatever their case: phones capitalise the first letter ("/Start"), and Telegram
// treats commands as case-insensitive in its menu. grammY's command filter compares exactly, so
// this middleware, mounted before any command handler (core and plugins alike), lower-cases the
// command name of a message before they see it. A "@target" is left as it is: grammY compares it
// with the bot's username case-insensitively, so /cmd@OtherBot stays ignored.
import type { Middleware } from 'grammy';
import type { BotContext } from '../core/context.js';

export const commandsIgnoreCase: Middleware<BotContext> = (ctx, next) => {
  const message = ctx.message ?? ctx.channelPost;
  const entity = message?.entities?.[0];
  const text = message?.text;
  if (message && text && entity?.type === 'bot_command' && entity.offset === 0) {
    const command = text.slice(0, entity.length);
    const at = command.indexOf('@');
    const name = at === -1 ? command : command.slice(0, at);
    if (name !== name.toLowerCase()) message.text = name.toLowerCase() + text.slice(name.length);
  }
  return next();
};
