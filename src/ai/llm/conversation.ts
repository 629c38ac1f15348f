// The LLM conversation hook: answers a user's message with a streamed completion that remembers
// their recent turns and may run plugin commands for them. Whenever the LLM cannot answer (over the
// user's daily budget, timeout, 429, server or connection error, an empty answer) the fallback hook
// answers instead; the user sees no error, the log gets a warning.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ConversationHook } from '../../bot/pipeline.js';
import { type Completion, streamCompletion } from './completion.js';
import { askToConfirm, newPendingCommand } from './confirmation.js';
import { commandNote, type LlmDeps } from './llm-deps.js';
import { estimateTokens, type PendingCommand } from './memory.js';
import { runAsUser } from './run-command.js';
import { StreamingReply } from './streaming-reply.js';
import { offeredCommands, resolveCall, toolsFor } from './tools.js';
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
      return fallback(ctx);
    }
    const conversation = await deps.memory.read(from.id);
    const commands = offeredCommands(deps.registry, ctx.core.isAdmin);
    const tools = toolsFor(commands, ctx.core.t);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: deps.settings.get('ai.systemPrompt') },
      ...conversation.turns,
      { role: 'user', content: text },
    ];
    await ctx.replyWithChatAction('typing');
    const reply = new StreamingReply(ctx.api, chat.id, deps.editIntervalMs);
    let streamed = '';
    let completion: Completion;
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
      if (!reply.started) return fallback(ctx);
      // Part of the answer is on the screen already: it stays, completed as far as it came.
      completion = { text: streamed, toolCalls: [], usage: undefined };
    }
    const answer = completion.text.trim();
    if (answer) await reply.finish(answer);
    await deps.ledger.record(from.id, completion.usage ?? estimateUsage(messages, tools, completion), startedAt);

    const notes: string[] = [];
    let pending: PendingCommand | undefined;
    for (const call of completion.toolCalls) {
      const resolved = resolveCall(call, commands);
      if (!resolved.ok) {
        deps.log.warn({ tool: call.name }, `LLM tool call refused: ${resolved.reason}`);
        notes.push(`[could not run it: ${resolved.reason}]`);
      } else if (!resolved.call.info.sideEffects) {
        notes.push(commandNote(resolved.call.text, await runAsUser(ctx, deps.botMiddleware(), resolved.call.text)));
      } else if (pending) {
        notes.push(`[not asked: one confirmation at a time, ${resolved.call.text} waits]`);
      } else {
        pending = newPendingCommand(resolved.call.text);
        await askToConfirm(ctx, pending);
        notes.push(`[asked the user to confirm ${resolved.call.text}]`);
      }
    }
    const answered = answer.length > 0 || notes.some((note) => !note.startsWith('[could not'));
    if (!answered) {
      deps.log.warn('LLM answered with nothing to show');
      return fallback(ctx);
    }
    await deps.memory.update(from.id, deps.settings.get('ai.memoryTokens'), (current) => ({
      turns: [
        ...current.turns,
        { role: 'user', content: text },
        { role: 'assistant', content: [answer, ...notes].filter(Boolean).join('\n') },
      ],
      // A new message makes an earlier unanswered question moot.
      ...(pending ? { pending } : {}),
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
