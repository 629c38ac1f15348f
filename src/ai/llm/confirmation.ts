// A command with side effects that the model wants to run is first put to the user with Yes / No
// buttons. The question is remembered in the user's conversation (one at a time, the newest wins);
// pressing Yes runs the command as if the user had typed it, No drops it, an old button is refused.
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard, type MiddlewareFn } from 'grammy';
import type { BotContext } from '../../core/context.js';
import { commandNote, type LlmDeps } from './llm-deps.js';
import type { PendingCommand } from './memory.js';
import { runAsUser } from './run-command.js';

const CALLBACK = /^ai:confirm:(yes|no):([0-9a-f]{16})$/;

export function newPendingCommand(text: string): PendingCommand {
  return { id: randomBytes(8).toString('hex'), text };
}

/** Sends the question with its buttons. */
export function askToConfirm(ctx: BotContext, pending: PendingCommand): Promise<unknown> {
  const t = ctx.core.t.confirmCommand;
  const keyboard = new InlineKeyboard()
    .text(t.yes, `ai:confirm:yes:${pending.id}`)
    .text(t.no, `ai:confirm:no:${pending.id}`);
  return ctx.reply(t.ask(pending.text), { reply_markup: keyboard });
}

/** Answers the buttons; runs after the core pipeline, so the sender's language is known. */
export function confirmationMiddleware(deps: LlmDeps): MiddlewareFn<BotContext> {
  const composer = new Composer<BotContext>();
  composer.callbackQuery(CALLBACK, async (ctx) => {
    const [, answer, id] = ctx.match as RegExpMatchArray;
    const t = ctx.core.t.confirmCommand;
    const userId = ctx.from.id;
    const updateId = ctx.update.update_id;
    const budget = deps.settings.get('ai.memoryTokens');
    let taken: PendingCommand | undefined;
    // Claimed inside the versioned update, by this update: a second press (or another instance)
    // finds it claimed and runs nothing, while a retry of this very update may carry on.
    await deps.memory.update(userId, budget, (conversation) => {
      const pending = conversation.pending;
      if (!pending || pending.id !== id || (pending.takenBy !== undefined && pending.takenBy !== updateId)) {
        return conversation;
      }
      taken = pending;
      return { ...conversation, pending: { ...pending, takenBy: updateId } };
    });
    const command = taken as PendingCommand | undefined;
    if (!command) return ctx.answerCallbackQuery({ text: t.expired });
    await ctx.answerCallbackQuery();
    const question = t.ask(command.text);
    let note: string;
    if (answer === 'no') {
      await ctx.editMessageText(`${question}\n${t.declined}`);
      note = `[the user declined ${command.text}]`;
    } else {
      await ctx.editMessageText(`${question} ✓`);
      note = commandNote(command.text, await runAsUser(ctx, deps.commands(), command.text));
    }
    await deps.memory.update(userId, budget, (conversation) => ({
      turns: [...conversation.turns, { role: 'assistant', content: note }],
      ...(conversation.pending?.id === id ? {} : { pending: conversation.pending }),
    }));
  });
  return composer.middleware();
}
