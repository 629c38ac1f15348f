// Plugin commands offered to the model as function tools: one function per command the user may
// run, taking the text that would follow the command. What the model sends back is checked here.
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { type CommandInfo, type CommandRegistry, describe } from '../../core/command-registry.js';
import type { Messages } from '../../core/i18n.js';
import type { ToolCall } from './completion.js';

/** Plugin commands only: the core's own (/start, /reset, …) are the user's business, not the model's. */
export function offeredCommands(registry: CommandRegistry, isAdmin: boolean): CommandInfo[] {
  return registry.list({ includeAdmin: isAdmin }).filter((info) => info.source !== 'core');
}

export function toolsFor(commands: readonly CommandInfo[], t: Messages): ChatCompletionTool[] {
  return commands.map((info) => ({
    type: 'function',
    function: {
      name: info.command,
      description: `The bot command /${info.command}: ${describe(info, t)}`,
      parameters: {
        type: 'object',
        properties: {
          args: { type: 'string', description: 'What the user would type after the command; empty when nothing' },
        },
      },
    },
  }));
}

const argumentsSchema = z.object({ args: z.string().max(4000).default('') });

export interface CommandCall {
  info: CommandInfo;
  args: string;
  /** The command as the user would have typed it. */
  text: string;
}

/** The command a tool call asks for, or why it cannot run (an unknown name, arguments that don't parse). */
export function resolveCall(
  call: ToolCall,
  commands: readonly CommandInfo[],
): { ok: true; call: CommandCall } | { ok: false; reason: string } {
  const info = commands.find((candidate) => candidate.command === call.name);
  if (!info) return { ok: false, reason: `no command /${call.name}` };
  let json: unknown;
  try {
    json = JSON.parse(call.arguments || '{}');
  } catch {
    return { ok: false, reason: `arguments for /${call.name} are not JSON` };
  }
  const parsed = argumentsSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `arguments for /${call.name} are invalid` };
  const args = parsed.data.args.trim();
  return { ok: true, call: { info, args, text: args ? `/${info.command} ${args}` : `/${info.command}` } };
}
