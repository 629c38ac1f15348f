// The process logger: pino, with every secret value in force masked in each line before it is written,
// wherever in the line it appears (an error message, a URL, a nested object).
import { type DestinationStream, type Logger, pino } from 'pino';
import type { Config } from './env.js';

export type { Logger } from 'pino';

export const REDACTED = '[redacted]';

export function createRedactor(secrets: readonly string[]): (line: string) => string {
  const sorted = [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return (line) => line;
  const pattern = new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  return (line) => line.replace(pattern, REDACTED);
}

export function createLogger(
  config: Pick<Config, 'LOG_LEVEL'>,
  secrets: readonly string[],
  destination: DestinationStream = pino.destination(1),
): Logger {
  const redact = createRedactor(secrets);
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { pid: process.pid },
      hooks: { streamWrite: redact },
    },
    destination,
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
