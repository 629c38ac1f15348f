// LLM mode, switched on by OPENAI_API_KEY: builds the client and the conversation's parts, and gives
// the bot runtime its conversation hook (which hands over to `fallback` whenever the LLM cannot
// answer) and the confirmation buttons' middleware, which the runtime puts after the pipeline.
import type { MiddlewareFn } from 'grammy';
import type { Kysely } from 'kysely';
import type { Registry } from 'prom-client';
import type { Config } from '../../config/env.js';
import type { Logger } from '../../config/logger.js';
import type { CommandRegistry } from '../../core/command-registry.js';
import type { BotContext, ConversationHook } from '../../core/context.js';
import type { UserStateStore } from '../../core/user-state.js';
import type { Database } from '../../db/schema.js';
import type { SettingsStore } from '../../db/settings-store.js';
import { createLlmClient } from './completion.js';
import { confirmationMiddleware } from './confirmation.js';
import { llmConversation } from './conversation.js';
import type { LlmDeps } from './llm-deps.js';
import { createLlmMetrics } from './llm-metrics.js';
import { ConversationMemory } from './memory.js';
import { UsageLedger } from './usage-ledger.js';

export interface LlmModeOptions {
  config: Config;
  /** The command handlers (the pipeline), for commands the LLM runs for the user. */
  commands: () => MiddlewareFn<BotContext>;
  db: Kysely<Database>;
  userState: UserStateStore;
  settings: SettingsStore;
  registry: CommandRegistry;
  log: Logger;
  /** The platform's metrics registry (GET /metrics). */
  metrics: Registry;
}

/** About one edit per second per chat: what Telegram tolerates for a message being edited. */
const EDIT_INTERVAL_MS = 1000;

export interface LlmMode {
  conversation(fallback: ConversationHook): ConversationHook;
  /** Answers the confirmation buttons; goes after the pipeline. */
  middleware: MiddlewareFn<BotContext>;
}

export function createLlmMode(options: LlmModeOptions): LlmMode {
  const { config } = options;
  const deps: LlmDeps = {
    client: createLlmClient({ apiKey: config.OPENAI_API_KEY as string, baseURL: config.OPENAI_BASE_URL }),
    model: config.OPENAI_MODEL,
    settings: options.settings,
    memory: new ConversationMemory(options.userState),
    ledger: new UsageLedger(options.db),
    registry: options.registry,
    log: options.log.child({ part: 'llm' }),
    commands: options.commands,
    metrics: createLlmMetrics(options.metrics),
    editIntervalMs: EDIT_INTERVAL_MS,
  };
  // The host only: a base URL may carry credentials.
  const server = new URL(config.OPENAI_BASE_URL ?? 'https://api.openai.com/v1').host;
  options.log.info({ model: config.OPENAI_MODEL, server }, 'LLM mode on');
  return {
    conversation: (fallback) => llmConversation(deps, fallback),
    middleware: confirmationMiddleware(deps),
  };
}
