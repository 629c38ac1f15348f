// Running the README's examples as written: the code blocks of one of its sections, each command
// line run by bash with `npx omnicore` being this checkout's built CLI, and the output it shows
// turned into a pattern where what changes from run to run (dates, random ids) may be anything.
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { CLI } from './processes.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The bodies of the code blocks in the README from `heading` on, in order. */
export function readmeBlocks(heading: string): string[] {
  const start = README.indexOf(heading);
  if (start < 0) throw new Error(`the README has no "${heading}"`);
  return [...README.slice(start).matchAll(/```\w*\n([\s\S]*?)```/g)].map(([, body]) => body as string);
}

/** bash's arguments and options for a README command line (in `cwd`, on `dataDir`). */
function readmeCommand(line: string, dataDir: string, cwd?: string) {
  return {
    args: ['-c', line.replaceAll('npx omnicore', `node ${CLI}`)],
    options: {
      ...(cwd ? { cwd } : {}),
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0' },
      encoding: 'utf8' as const,
      timeout: 60_000,
    },
  };
}

/** A README command line run by bash (in `cwd`, on `dataDir`), its stdout. */
export function runReadmeLine(line: string, dataDir: string, cwd?: string): string {
  const { args, options } = readmeCommand(line, dataDir, cwd);
  return execFileSync('bash', args, options);
}

/** The same without blocking this process: for an example that talks to a server the test runs. */
export async function runReadmeLineAsync(line: string, dataDir: string, cwd?: string): Promise<string> {
  const { args, options } = readmeCommand(line, dataDir, cwd);
  return (await promisify(execFile)('bash', args, options)).stdout;
}

/** The output a README block shows, as a whole-text pattern in which each part `find` matches
 *  (a date, a random id: what changes from run to run) may be anything the pattern `as` matches. */
export function shownOutput(text: string, variable: readonly { find: RegExp; as: string }[]): RegExp {
  let pattern = text.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const { find, as } of variable) pattern = pattern.replace(new RegExp(find.source, 'g'), as);
  return new RegExp(`^${pattern}$`);
}
