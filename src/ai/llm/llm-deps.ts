// What the LLM conversation and its confirmation buttons share.
import type { MiddlewareFn } from 'grammy';
import type OpenAI from 'openai';
import type { Logger } from '../../config/logger.js';
import type { CommandRegistry } from '../../core/command-registry.js';
import type { BotContext } from '../../core/context.js';
import type { SettingsStore } from '../../db/settings-store.js';
import type { LlmMetrics } from './llm-metrics.js';
import type { ConversationMemory } from './memory.js';
import type { UsageLedger } from './usage-ledger.js';

export interface LlmDeps {
  readonly client: OpenAI;
  readonly model: string;
  readonly settings: SettingsStore;
  readonly memory: ConversationMemory;
  readonly ledger: UsageLedger;
  readonly registry: CommandRegistry;
  readonly log: Logger;
  /** The bot's whole middleware: how a command the model picked runs as if the user had sent it. */
  readonly commands: () => MiddlewareFn<BotContext>;
  readonly metrics: LlmMetrics;
  /** Least time between two edits of a streamed reply. */
  readonly editIntervalMs: number;
}

/** What the conversation remembers about a command it ran for the user. */
export function commandNote(text: string, replies: readonly string[]): string {
  const answer = replies.join('\n').slice(0, 1000);
  return answer ? `[ran ${text}; it answered: ${answer}]` : `[ran ${text}; it sent nothing]`;
}
