// /cancel: forgets whatever multi-step exchange the user was in (their conversation context).
import type { CoreCommand } from './core-command.js';

export const cancel: CoreCommand = {
  info: { command: 'cancel', description: (t) => t.commands.cancel, adminOnly: false },
  async handle(ctx, { userState }) {
    const { t } = ctx.core;
    if (!ctx.from) return;
    let hadContext = false;
    await userState.update(ctx.from.id, (state) => {
      hadContext = Object.keys(state.context).length > 0;
      return { ...state, context: {} };
    });
    return ctx.reply(hadContext ? t.cancelled : t.nothingToCancel);
  },
};
