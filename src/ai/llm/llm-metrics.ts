// What LLM mode adds to /metrics: how answers ended (and why the fallback answered), tokens used,
// and what became of the model's tool calls.
import { Counter, type Registry } from 'prom-client';

export type AnswerOutcome = 'llm' | 'partial' | 'fallback_error' | 'fallback_budget' | 'fallback_empty';
export type ToolOutcome = 'ran' | 'asked' | 'refused';

export interface LlmMetrics {
  readonly answers: Counter<'outcome'>;
  readonly tokens: Counter<'kind'>;
  readonly toolCalls: Counter<'outcome'>;
}

export function createLlmMetrics(registry: Registry): LlmMetrics {
  const registers = [registry];
  return {
    answers: new Counter({
      name: 'omnicore_llm_answers_total',
      help: 'Messages handled in LLM mode, by outcome: llm, partial (server failed mid-answer), fallback_error, fallback_budget, fallback_empty',
      labelNames: ['outcome'],
      registers,
    }),
    tokens: new Counter({
      name: 'omnicore_llm_tokens_total',
      help: 'LLM tokens used, by kind (prompt, completion); estimated when the server reports none',
      labelNames: ['kind'],
      registers,
    }),
    toolCalls: new Counter({
      name: 'omnicore_llm_tool_calls_total',
      help: 'Commands the model called: ran at once, asked the user to confirm, refused (unknown or bad arguments)',
      labelNames: ['outcome'],
      registers,
    }),
  };
}
