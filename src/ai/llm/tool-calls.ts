// Acts on the commands the model called: a read-only one runs at once as if the user had typed it,
// one with side effects is put to the user first (one question at a time), anything else is
// refused. Returns what the conversation should remember of it.
import type { CommandInfo } from '../../core/command-registry.js';
import type { BotContext } from '../../core/context.js';
import type { ToolCall } from './completion.js';
import { askToConfirm, newPendingCommand } from './confirmation.js';
import { commandNote, type LlmDeps } from './llm-deps.js';
import type { PendingCommand } from './memory.js';
import { runAsUser } from './run-command.js';
import { resolveCall } from './tools.js';

export interface ToolCallsResult {
  /** One line per call, for the memory. */
  notes: string[];
  /** The question now waiting for the user's Yes or No, if one was asked. */
  pending: PendingCommand | undefined;
  /** Whether the user saw anything (a command's answer, a question). */
  shown: boolean;
}

export async function actOnToolCalls(
  ctx: BotContext,
  deps: LlmDeps,
  calls: readonly ToolCall[],
  commands: readonly CommandInfo[],
): Promise<ToolCallsResult> {
  const result: ToolCallsResult = { notes: [], pending: undefined, shown: false };
  for (const call of calls) {
    const resolved = resolveCall(call, commands);
    if (!resolved.ok) {
      deps.log.warn({ tool: call.name }, `LLM tool call refused: ${resolved.reason}`);
      deps.metrics.toolCalls.inc({ outcome: 'refused' });
      result.notes.push(`[could not run it: ${resolved.reason}]`);
      continue;
    }
    const { info, text } = resolved.call;
    if (!info.sideEffects) {
      deps.metrics.toolCalls.inc({ outcome: 'ran' });
      result.notes.push(commandNote(text, await runAsUser(ctx, deps.commands(), text)));
      result.shown = true;
    } else if (result.pending) {
      deps.metrics.toolCalls.inc({ outcome: 'refused' });
      result.notes.push(`[not asked, one question at a time: ${text} was not run]`);
    } else {
      deps.metrics.toolCalls.inc({ outcome: 'asked' });
      result.pending = newPendingCommand(text);
      await askToConfirm(ctx, result.pending);
      result.notes.push(`[asked the user to confirm ${text}]`);
      result.shown = true;
    }
  }
  return result;
}
