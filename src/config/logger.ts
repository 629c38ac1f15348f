// The process logger: pino, with every secret value in force (and every one learned since, see
// redaction.ts) masked in each line before it is written, wherever in the line it appears (an error
// message, a URL, a nested object). JSON lines for machines; on a terminal (or with
// LOG_FORMAT=pretty) pino-pretty renders the already-masked lines for people.
import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { Config } from './env.js';
import { type RedactionList, runtimeSecrets } from './redaction.js';

export type { Logger } from 'pino';

export const REDACTED = '[redacted]';

type LogConfig = Pick<Config, 'LOG_LEVEL'> & Partial<Pick<Config, 'LOG_FORMAT'>>;
type PrettyFactory = (options: {
  destination: DestinationStream | number;
  sync: boolean;
  ignore: string;
  translateTime: string;
}) => DestinationStream;

/** Masks `secrets` and whatever `learned` holds, the pattern built again only when `learned` grows. */
export function createRedactor(
  secrets: readonly string[],
  learned: RedactionList = runtimeSecrets,
): (line: string) => string {
  let version = -1;
  let pattern: RegExp | undefined;
  return (line) => {
    if (version !== learned.version) {
      version = learned.version;
      pattern = patternOf([...secrets, ...learned.list()]);
    }
    return pattern ? line.replace(pattern, REDACTED) : line;
  };
}

function patternOf(secrets: readonly string[]): RegExp | undefined {
  // A value with quotes or backslashes appears escaped in a JSON line.
  const forms = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  const sorted = [...new Set(forms)].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
  return sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
}

/**
 * Logs to `destination` (stdout when omitted). Pretty when LOG_FORMAT says so, or when it is unset
 * and the lines go to stdout on a terminal; a stream given explicitly (a pipe, a test) stays JSON
 * unless LOG_FORMAT=pretty.
 */
export function createLogger(config: LogConfig, secrets: readonly string[], destination?: DestinationStream): Logger {
  const redact = createRedactor(secrets);
  const pretty =
    config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === undefined && !destination && process.stdout.isTTY);
  const target = pretty ? prettyStream(destination ?? 1) : (destination ?? pino.destination(1));
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { pid: process.pid },
      // Applied to the JSON line before any stream sees it, so pretty output is masked too.
      hooks: { streamWrite: redact },
    },
    target,
  );
}

function prettyStream(destination: DestinationStream | number): DestinationStream {
  // Loaded only when wanted: services and pipes log JSON and never pay for pino-pretty's start-up.
  const pretty = createRequire(import.meta.url)('pino-pretty') as PrettyFactory;
  // sync: the lines written just before process.exit (a fatal error, shutdown) are not lost.
  return pretty({ destination, sync: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
