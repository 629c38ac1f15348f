// The commands an update runs in the install directory, taken from the package.json checked out
// there, so that each version brings its own: `npm ci` always, then `npm run build` and
// `npm run migrate` when it has those scripts. `npm start` starts a server for the health check
// when none is running.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { UpdateLog } from './update-log.js';

const scriptsSchema = z.object({ scripts: z.record(z.string(), z.string()).default({}) });

export type InstallStep = 'install' | 'build' | 'migrate';

export function commandsFor(installDir: string): Record<InstallStep, string[] | undefined> {
  const { scripts } = scriptsSchema.parse(JSON.parse(readFileSync(path.join(installDir, 'package.json'), 'utf8')));
  return {
    install: ['npm', 'ci', '--no-audit', '--no-fund'],
    build: scripts.build ? ['npm', 'run', 'build'] : undefined,
    migrate: scripts.migrate ? ['npm', 'run', 'migrate'] : undefined,
  };
}

/** Runs one command, its output (stdout and stderr as they come) appended to the log; throws on failure. */
export async function runLogged(
  command: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv | undefined; log: UpdateLog },
): Promise<void> {
  const [file, ...args] = command as [string, ...string[]];
  options.log.append(`$ ${command.join(' ')}`);
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer): void => options.log.append(chunk.toString('utf8'));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  if (code !== 0) throw new Error(`\`${command.join(' ')}\` failed (${signal ?? `exit code ${code}`})`);
}
