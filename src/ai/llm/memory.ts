// Per-user conversation memory in `user_state.context`: the recent turns, newest last, trimmed to a
// token budget, plus the command the model is waiting for the user to confirm. Tokens are estimated
// as characters / 4 (close to real tokenizers for English prose, and free to compute); the budget
// is a bound on what is sent, not an exact count.
import { z } from 'zod';
import type { UserStateStore } from '../../core/user-state.js';
import { CONVERSATION_KEY } from '../../core/user-state.js';

const turnSchema = z.object({ role: z.enum(['user', 'assistant']), content: z.string() });
const pendingSchema = z.object({
  id: z.string(),
  text: z.string(),
  /** The update (a press of Yes or No) handling it: only a retry of that same update may take it again. */
  takenBy: z.number().optional(),
});
const conversationSchema = z.object({
  turns: z.array(turnSchema).default([]),
  pending: pendingSchema.optional(),
});

export type Turn = z.infer<typeof turnSchema>;
/** A command the model wants to run, waiting for the user's Yes or No. */
export type PendingCommand = z.infer<typeof pendingSchema>;
export type Conversation = z.infer<typeof conversationSchema>;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The newest turns whose estimated tokens fit `budget`; older ones are dropped first. */
export function trimTurns(turns: readonly Turn[], budget: number): Turn[] {
  const kept: Turn[] = [];
  let used = 0;
  for (let index = turns.length - 1; index >= 0; index--) {
    const turn = turns[index] as Turn;
    used += estimateTokens(turn.content);
    if (used > budget) break;
    kept.unshift(turn);
  }
  return kept;
}

export class ConversationMemory {
  constructor(private readonly userState: UserStateStore) {}

  async read(userId: number): Promise<Conversation> {
    const state = await this.userState.get(userId);
    return parse(state.context[CONVERSATION_KEY]);
  }

  /** Applies `change` to the stored conversation (with the store's version check) and trims it. */
  async update(userId: number, budget: number, change: (conversation: Conversation) => Conversation): Promise<void> {
    await this.userState.update(userId, (state) => {
      const next = change(parse(state.context[CONVERSATION_KEY]));
      const stored: Conversation = { ...next, turns: trimTurns(next.turns, budget) };
      return { ...state, context: { ...state.context, [CONVERSATION_KEY]: stored } };
    });
  }
}

/** Whatever is stored is checked: a value another version wrote, or a hand edit, starts afresh. */
function parse(value: unknown): Conversation {
  const parsed = conversationSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : { turns: [] };
}
