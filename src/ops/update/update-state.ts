// DATA_DIR/update-state.json: written before each step of an update, so that an updater killed
// mid-way (kill -9, a power cut) leaves enough for the next start to finish the job: roll back an
// update that had not finished, or record one that had. Written to a temporary file and renamed,
// so a crash never leaves half a file.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const UPDATE_STATE_FILE = 'update-state.json';

export const UPDATE_STEPS = [
  'backup',
  'checkout',
  'install',
  'build',
  'migrate',
  'restart',
  'health',
  'finished',
] as const;
export type UpdateStep = (typeof UPDATE_STEPS)[number];

const stateSchema = z.object({
  historyId: z.number().int(),
  fromCommit: z.string(),
  toCommit: z.string(),
  fromVersion: z.string(),
  toVersion: z.string(),
  backupId: z.string().nullable(),
  startedAt: z.number(),
  step: z.enum(UPDATE_STEPS),
});

export type UpdateState = z.infer<typeof stateSchema>;

export function statePath(dataDir: string): string {
  return path.join(dataDir, UPDATE_STATE_FILE);
}

export function writeState(dataDir: string, state: UpdateState): void {
  const file = statePath(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

/** The unfinished update, if any; a file that does not parse is reported, not ignored. */
export function readState(dataDir: string): UpdateState | undefined {
  const file = statePath(dataDir);
  if (!existsSync(file)) return undefined;
  return stateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function clearState(dataDir: string): void {
  rmSync(statePath(dataDir), { force: true });
}

/** Whether the database may hold the new version's schema: migrations ran, or were running. */
export function migrationsMayHaveRun(step: UpdateStep): boolean {
  return UPDATE_STEPS.indexOf(step) >= UPDATE_STEPS.indexOf('migrate');
}
