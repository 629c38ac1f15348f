// One streamed chat completion against any OpenAI-compatible server: text as it grows, the tool
// calls assembled from their deltas, and the usage the server reports at the end. A watchdog aborts
// the request when the server stays silent too long, before the first chunk or between two.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { TokenUsage } from './usage-ledger.js';

export interface LlmClientOptions {
  apiKey: string;
  baseURL?: string | undefined;
}

/** No retries: a failed request falls back to the local engine at once instead of keeping the user waiting. */
export function createLlmClient(options: LlmClientOptions): OpenAI {
  return new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL ?? null, maxRetries: 0 });
}

export interface CompletionRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  /** How long the server may stay silent before the request is abandoned. */
  idleTimeoutMs: number;
}

export interface ToolCall {
  name: string;
  arguments: string;
}

export interface Completion {
  text: string;
  toolCalls: ToolCall[];
  /** Absent when the server does not report usage. */
  usage: TokenUsage | undefined;
}

export class LlmSilentError extends Error {
  override readonly name = 'LlmSilentError';
}

export async function streamCompletion(
  client: OpenAI,
  request: CompletionRequest,
  onText: (text: string) => void,
): Promise<Completion> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new LlmSilentError('no answer in time')), request.idleTimeoutMs);
  };
  watch();
  let text = '';
  const calls: { name: string; arguments: string }[] = [];
  let usage: TokenUsage | undefined;
  try {
    const stream = await client.chat.completions.create(
      {
        model: request.model,
        messages: request.messages,
        ...(request.tools.length > 0 ? { tools: request.tools } : {}),
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal: controller.signal, timeout: request.idleTimeoutMs },
    );
    for await (const chunk of stream) {
      watch();
      if (chunk.usage) usage = { prompt: chunk.usage.prompt_tokens, completion: chunk.usage.completion_tokens };
      const delta = chunk.choices[0]?.delta;
      if (delta?.content) {
        text += delta.content;
        onText(text);
      }
      for (const call of delta?.tool_calls ?? []) {
        const entry = calls[call.index] ?? { name: '', arguments: '' };
        calls[call.index] = entry;
        entry.name += call.function?.name ?? '';
        entry.arguments += call.function?.arguments ?? '';
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return { text, toolCalls: calls.filter((call) => call?.name), usage };
}
