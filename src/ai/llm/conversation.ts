// The LLM conversation hook: answers a user's message with a streamed completion that remembers
// their recent turns and may run plugin commands for them. Whenever the LLM cannot answer (over the
// user's daily budget, timeout, 429, server or connection error, an empty answer) the fallback hook
// answers instead; the user sees no error, the log gets a warning.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ConversationHook } from '../../core/context.js';
import { type Completion, streamCompletion } from './completion.js';
import type { LlmDeps } from './llm-deps.js';
import { estimateTokens, trimTurns } from './memory.js';
import { StreamingReply } from './streaming-reply.js';
import { actOnToolCalls } from './tool-calls.js';
import { offeredCommands, toolsFor } from './tools.js';
import type { TokenUsage } from './usage-ledger.js';

export function llmConversation(deps: LlmDeps, fallback: ConversationHook): ConversationHook {
  return async (ctx) => {
    const text = ctx.message?.text;
    const chat = ctx.chat;
    const from = ctx.from;
    if (!text || !chat || !from) return fallback(ctx);
    const startedAt = Date.now();
    const budget = deps.settings.get('ai.dailyTokenBudget');
    if (budget > 0 && (await deps.ledger.usedOn(from.id, startedAt)) >= budget) {
      deps.log.info({ userId: from.id, budget }, 'daily LLM token budget used up; the fallback engine answers');
      deps.metrics.answers.inc({ outcome: 'fallback_budget' });
      return fallback(ctx);
    }
    const conversation = await deps.memory.read(from.id);
    const commands = offeredCommands(deps.registry, ctx.core.isAdmin);
    const tools = toolsFor(commands, ctx.core.t);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: deps.settings.get('ai.systemPrompt') },
      ...trimTurns(conversation.turns, deps.settings.get('ai.memoryTokens')),
      { role: 'user', content: text },
    ];
    await ctx.replyWithChatAction('typing');
    const reply = new StreamingReply(ctx.api, chat.id, deps.editIntervalMs);
    let streamed = '';
    let completion: Completion;
    let failed = false;
    try {
      completion = await streamCompletion(
        deps.client,
        { model: deps.model, messages, tools, idleTimeoutMs: deps.settings.get('ai.timeoutSeconds') * 1000 },
        (soFar) => {
          streamed = soFar;
          reply.update(soFar);
        },
      );
    } catch (error) {
      deps.log.warn({ llmError: failureOf(error), partial: reply.started }, 'LLM request failed');
      if (!reply.started) {
        deps.metrics.answers.inc({ outcome: 'fallback_error' });
        return fallback(ctx);
      }
      // Part of the answer is on the screen already: it stays, completed as far as it came.
      completion = { text: streamed, toolCalls: [], usage: undefined };
      failed = true;
    }
    const answer = completion.text.trim();
    if (answer) await reply.finish(answer);
    const usage = completion.usage ?? estimateUsage(messages, tools, completion);
    await deps.ledger.record(from.id, usage, startedAt);
    deps.metrics.tokens.inc({ kind: 'prompt' }, usage.prompt);
    deps.metrics.tokens.inc({ kind: 'completion' }, usage.completion);

    const acted = await actOnToolCalls(ctx, deps, completion.toolCalls, commands);
    if (!answer && !acted.shown) {
      deps.log.warn('LLM answered with nothing to show');
      deps.metrics.answers.inc({ outcome: 'fallback_empty' });
      return fallback(ctx);
    }
    deps.metrics.answers.inc({ outcome: failed ? 'partial' : 'llm' });
    await deps.memory.update(from.id, deps.settings.get('ai.memoryTokens'), (current) => ({
      turns: [
        ...current.turns,
        { role: 'user', content: text },
        { role: 'assistant', content: [answer, ...acted.notes].filter(Boolean).join('\n') },
      ],
      // A new message makes an earlier unanswered question moot.
      ...(acted.pending ? { pending: acted.pending } : {}),
    }));
  };
}

/** For servers that report no usage: the same characters / 4 estimate as the memory budget. */
function estimateUsage(
  messages: readonly ChatCompletionMessageParam[],
  tools: readonly unknown[],
  completion: Completion,
): TokenUsage {
  const sent = JSON.stringify(messages.map((message) => message.content)) + JSON.stringify(tools);
  const received = completion.text + completion.toolCalls.map((call) => call.name + call.arguments).join('');
  return { prompt: estimateTokens(sent), completion: estimateTokens(received) };
}

/** What the log may say about a failed request: its kind and status, never its headers or key. */
function failureOf(error: unknown): { name: string; status?: number } {
  const name = error instanceof Error ? error.name : typeof error;
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? { name, status } : { name };
}
