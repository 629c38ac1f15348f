// /reset: forgets the user's conversation with the AI (its remembered turns and any question it
// was waiting on), leaving the rest of their state alone.
import type { CoreCommand } from './core-command.js';

/** Where the conversation engine keeps its per-user memory inside `user_state.context`. */
export const CONVERSATION_KEY = 'conversation';

export const reset: CoreCommand = {
  info: { command: 'reset', description: (t) => t.commands.reset, adminOnly: false },
  async handle(ctx, { userState }) {
    if (!ctx.from) return;
    await userState.update(ctx.from.id, (state) => {
      const { [CONVERSATION_KEY]: _forgotten, ...rest } = state.context;
      return { ...state, context: rest };
    });
    return ctx.reply(ctx.core.t.forgotten);
  },
};
