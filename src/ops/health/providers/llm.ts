// An OpenAI-compatible server lists its models: GET {OPENAI_BASE_URL}/models with the key.
import type { HealthProvider } from '../health-check.js';
import { probe } from '../http-probe.js';

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export const llm: HealthProvider = {
  name: 'llm',
  critical: false,
  configured: (config) => config.OPENAI_API_KEY !== undefined || config.OPENAI_BASE_URL !== undefined,
  create: (config) => (signal) =>
    probe(
      `${config.OPENAI_BASE_URL ?? DEFAULT_BASE_URL}/models`,
      config.OPENAI_API_KEY ? { authorization: `Bearer ${config.OPENAI_API_KEY}` } : {},
      signal,
    ),
};
