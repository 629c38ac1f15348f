// Finds the file a plugin folder runs: package.json's "main", else index.js or index.mjs. The file
// must lie inside the folder once symlinks are resolved: a plugin is what its folder holds, so that
// copying or removing the folder copies or removes all of it. What is wrong with the folder is
// thrown as the OmniError it is refused with, naming the folder.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { OmniError } from '../errors.js';

/** The entry file's real path. */
export function entryFile(dir: string): string {
  const folder = realpathSync(dir);
  const main = declaredMain(dir);
  const candidates = [...(main ? [main] : []), 'index.js', 'index.mjs'];
  for (const candidate of candidates) {
    const file = path.resolve(folder, candidate);
    if (!existsSync(file)) continue;
    const real = realpathSync(file);
    if (!isInside(folder, real)) {
      throw new OmniError('PLUGIN_ENTRY_OUTSIDE', `${path.basename(dir)}: ${candidate} is ${real}, outside ${folder}`);
    }
    return real;
  }
  throw new OmniError('PLUGIN_NO_ENTRY', `${path.basename(dir)}: none of ${candidates.join(', ')} exists`);
}

/** Whether `file` lies under `folder` (both real paths). */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** package.json's "main", if the folder has one; a package.json that cannot be read is the folder's fault. */
function declaredMain(dir: string): string | undefined {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OmniError(
      'PLUGIN_LOAD_FAILED',
      `${path.basename(dir)}: package.json is not valid JSON: ${(error as Error).message}`,
    );
  }
  const main = (manifest as { main?: unknown } | null)?.main;
  if (main === undefined || typeof main === 'string') return main;
  throw new OmniError('PLUGIN_LOAD_FAILED', `${path.basename(dir)}: package.json "main" must be a string`);
}
