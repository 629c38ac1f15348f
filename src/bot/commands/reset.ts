// /reset: forgets the user's conversation with the AI (its remembered turns and any question it
// was waiting on), leaving the rest of their state alone.
import { CONVERSATION_KEY } from '../../core/user-state.js';
import type { CoreCommand } from './core-command.js';

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
