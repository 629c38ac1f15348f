// A one-shot text completion from the configured OpenAI-compatible server, for short generated
// texts (the AI Suggestions summary). Present only when OPENAI_API_KEY is set; the conversation
// engine has its own streaming client. The client library is loaded at the first completion.
import type OpenAI from 'openai';
import type { Config } from '../config/env.js';

export interface TextCompletion {
  /** The model's answer to `prompt`, trimmed; throws when the server fails or answers nothing. */
  complete(prompt: string, options?: { maxTokens?: number }): Promise<string>;
  /** One embedding per text, in order; throws when the server fails. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

const TIMEOUT_MS = 30_000;

export function createTextCompletion(
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'OPENAI_EMBEDDING_MODEL'>,
): TextCompletion | undefined {
  const apiKey = config.OPENAI_API_KEY;
  if (!apiKey) return undefined;
  let client: Promise<OpenAI> | undefined;
  const connect = async (): Promise<OpenAI> => {
    const { default: OpenAI } = await import('openai');
    return new OpenAI({
      apiKey,
      ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
      timeout: TIMEOUT_MS,
      maxRetries: 1,
    });
  };
  return {
    async complete(prompt, options = {}) {
      client ??= connect();
      const answer = await (await client).chat.completions.create({
        model: config.OPENAI_MODEL,
        messages: [{ role: 'user', content: prompt }],
        max_tokens: options.maxTokens ?? 300,
      });
      const text = answer.choices[0]?.message.content?.trim();
      if (!text) throw new Error('the language model answered with no text');
      return text;
    },
    async embed(texts) {
      if (texts.length === 0) return [];
      client ??= connect();
      const answer = await (await client).embeddings.create({
        model: config.OPENAI_EMBEDDING_MODEL,
        input: [...texts],
        encoding_format: 'float',
      });
      const vectors = [...answer.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
      if (vectors.length !== texts.length) {
        throw new Error(`the embedding server answered ${vectors.length} embeddings for ${texts.length} texts`);
      }
      return vectors;
    },
  };
}
