// Which text messages are meant for the bot's conversation engine: every one in a private chat; in a
// group, those that mention the bot or reply to one of its messages. And that text without the mention.
import type { BotContext } from './context.js';

export function addressedToBot(ctx: BotContext): boolean {
  const chat = ctx.chat?.type;
  if (chat === 'private') return true;
  if (chat !== 'group' && chat !== 'supergroup') return false;
  return ctx.message?.reply_to_message?.from?.id === ctx.me.id || mentionsOfBot(ctx).length > 0;
}

/** The message's text with the bot's @mentions taken out. */
export function textForBot(ctx: BotContext): string {
  const text = ctx.message?.text ?? '';
  let result = '';
  let from = 0;
  for (const { offset, length } of mentionsOfBot(ctx).sort((a, b) => a.offset - b.offset)) {
    result += text.slice(from, offset);
    from = offset + length;
  }
  return (result + text.slice(from))
    .replace(/\s+/g, ' ')
    .replace(/^[\s,:]+/, '')
    .trim();
}

function mentionsOfBot(ctx: BotContext): { offset: number; length: number }[] {
  const username = `@${ctx.me.username}`.toLowerCase();
  return ctx
    .entities(['mention', 'text_mention'])
    .filter((entity) =>
      entity.type === 'text_mention' ? entity.user.id === ctx.me.id : entity.text.toLowerCase() === username,
    );
}
